#pragma once
// `--format ufdr` for every platform generator: the extraction is generated
// as a folder next to PATH (with its truth), then rendered as a Cellebrite
// UFDR by the UFDR writer library (src/source/ufdr_writer.hpp): one model
// per truth item, the files the items reference (media and attachments) as
// tagged files. PATH.truth.jsonl then holds the items as remit's UFDR
// reader must report them (provenance report.xml / model:<Type> / id=...,
// parser ufdr.report), each keeping the expected_in_scope flag of the item
// it came from; PATH.story.json records format "ufdr".
//
// Contract: deterministic (the UFDR writer is, and so is the folder);
// atomic (sidecars renamed first, PATH last; the folder and every
// temporary file are removed whatever happens). Memory grows with the
// number of items (the writer takes them as a list), not with --size:
// files are streamed from disk into the zip.
// Not thread-safe.

#include <filesystem>
#include <functional>
#include <string>

#include "remit/status.hpp"
#include "synth/generator.hpp"

namespace remit::synth {

struct UfdrRenderOptions {
  std::filesystem::path out;  // PATH (the .ufdr)
  bool force = false;
  StoryOptions story;
  std::string platform;  // "android" or "ios": device identity in report.xml
  std::string command;   // "remit synth ios"
  uint64_t size = 0;
  std::vector<std::string> variants;
  const std::atomic<bool>* cancel = nullptr;
};

// `generate_folder(folder)` writes the extraction as a folder at `folder`
// (with folder.truth.jsonl and folder.story.json), as generate_android /
// generate_ios do for --format dir.
[[nodiscard]] Result<GenerationSummary> render_as_ufdr(
    const UfdrRenderOptions& o,
    const std::function<Result<GenerationSummary>(const std::filesystem::path& folder)>& generate_folder);

}  // namespace remit::synth
