#pragma once
// Streaming reader for Cellebrite UFDR report.xml (expat, no DOM).
// Internal to src/artifacts/ufdr.
//
// Structure (namespace http://pa.cellebrite.com/report/2.0), from the
// public descriptions listed in docs/formats/ufdr.md:
//   project
//     sourceExtractions/extractionInfo@id,name,type,deviceName,...
//     caseInformation/field@name,fieldType        (text)
//     metadata@section/item@name                  (text)
//     taggedFiles/file@id,fs,path,size,deleted,...
//       accessInfo/timestamp@name                 (text)
//       metadata@section[@group]/item@name        (text)
//     decodedData/modelType@type/model@type,id,deleted_state,extractionId,...
//       field|multiField@name,type / value@type,format,formattedTimestamp | empty
//       modelField|multiModelField|nodeField@name / model ...
//       jumptargets/targetid@ismodel               (text)
//     extraInfo@id/nodeInfo@id,path,tableName,offset,size   (anywhere)
//
// The reader keeps one top-level model at a time as a small tree (Node) and
// hands it to the listener when it closes. InstantMessage models inside a
// Chat's "Messages" field are handed over one by one as they close and are
// not kept in the Chat, so a chat with a million messages costs the memory
// of one message. Everything else in the document is streamed past.
//
// Hostile input: entity declarations stop the parse (no DTD is expected);
// model nesting, element depth, value length and nodes per model are capped
// and every cap that bites is counted in ReaderStats. Bytes pass through
// ControlCharFilter first.
//
// Not thread-safe; one reader per document.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace remit::ufdr {

using Attrs = std::vector<std::pair<std::string, std::string>>;

[[nodiscard]] std::string_view find_attr(const Attrs& attrs, std::string_view name) noexcept;

struct Value {
  std::string text;       // character data, trimmed of surrounding whitespace
  std::string type;       // value@type ("String", "TimeStamp", ...)
  std::string format;     // value@format ("Base64String", "TimeStampKnown", "DateTimeOnly", ...)
  std::string formatted;  // value@formattedTimestamp
  bool empty = false;     // written as <empty/>
};

struct Field {
  std::string name;
  std::string type;
  bool multi = false;  // multiField
  std::vector<Value> values;
};

struct Node;

struct Child {
  std::string field;  // the modelField / multiModelField name ("" when the model sat directly in its parent)
  std::unique_ptr<Node> node;
};

struct JumpTarget {
  std::string id;
  bool is_model = false;
};

struct Node {
  std::string type;
  // id, type, deleted_state, extractionId, iscarved, file_id,
  // attachment_extracted_path, source_index: for top-level models and for
  // nested InstantMessage, Attachment and Chat models (others: empty).
  Attrs attrs;
  std::vector<Field> fields;
  std::vector<Child> children;
  std::vector<JumpTarget> jumptargets;

  [[nodiscard]] std::string_view attr(std::string_view name) const noexcept { return find_attr(attrs, name); }
  [[nodiscard]] std::string_view id() const noexcept { return attr("id"); }
  [[nodiscard]] const Field* field(std::string_view name) const noexcept;
  // The first value of a field ("" when absent or empty).
  [[nodiscard]] const Value* value(std::string_view name) const noexcept;
  [[nodiscard]] std::string_view text(std::string_view name) const noexcept;
  // Models under a modelField/multiModelField of that name, in order.
  [[nodiscard]] std::vector<const Node*> models(std::string_view field_name) const;
  [[nodiscard]] const Node* model(std::string_view field_name) const;
};

struct TaggedFile {
  Attrs attrs;                                             // id, fs, path, name, size, deleted, extractionId, ...
  std::vector<std::pair<std::string, std::string>> times;  // accessInfo timestamp name -> text
  struct Meta {
    std::string section, group, name, value;
  };
  std::vector<Meta> metadata;
  [[nodiscard]] std::string_view attr(std::string_view name) const noexcept { return find_attr(attrs, name); }
  [[nodiscard]] std::string_view meta(std::string_view name) const noexcept;  // first item with that name
  [[nodiscard]] std::string_view time(std::string_view name) const noexcept;
};

struct MetadataItem {
  std::string section;  // metadata@section ("Device Info", "Extraction Data", "Additional Fields", ...)
  std::string name;     // item@name
  std::string value;
  Attrs attrs;  // the item's attributes (sourceExtraction, ...)
};

struct ExtraInfo {
  std::string id;  // the model id it describes
  std::string path, table, node_id, offset;
  size_t nodes = 0;  // nodeInfo children seen
};

class ReportListener {
 public:
  virtual ~ReportListener() = default;
  virtual void project(const Attrs& /*attrs*/) {}
  virtual void extraction(const Attrs& /*attrs*/) {}
  virtual void case_field(const Attrs& /*attrs*/, std::string&& /*value*/) {}
  virtual void metadata_item(MetadataItem&& /*item*/) {}
  virtual void tagged_file(TaggedFile&& /*file*/) {}
  virtual void decoded_data_begin() {}
  virtual void model(std::unique_ptr<Node>&& /*model*/) {}
  // An InstantMessage that closed inside the "Messages" field of the Chat
  // being read; `chat` holds what of the Chat has been read so far.
  virtual void chat_message(const Node& /*chat*/, std::unique_ptr<Node>&& /*message*/) {}
  virtual void extra_info(ExtraInfo&& /*info*/) {}
  // Polled after each element closes; true stops the parse early.
  [[nodiscard]] virtual bool want_stop() const { return false; }
};

struct ReaderLimits {
  size_t max_value_bytes = 32u << 20;   // longer values are truncated (counted)
  size_t max_model_depth = 32;          // deeper models are skipped (counted)
  size_t max_element_depth = 512;       // deeper elements are skipped (counted)
  size_t max_nodes_per_model = 200000;  // further nested models are skipped (counted)
};

struct ReaderStats {
  uint64_t bytes_in = 0;
  uint64_t control_refs = 0;   // &#x1; ... replaced
  uint64_t control_bytes = 0;  // raw control bytes replaced
  uint64_t invalid_utf8 = 0;   // invalid UTF-8 sequences replaced
  uint64_t values_truncated = 0;
  uint64_t models_too_deep = 0;
  uint64_t elements_too_deep = 0;
  uint64_t models_over_node_limit = 0;
  uint64_t top_models = 0;     // complete top-level models handed over
  uint64_t chat_messages = 0;  // messages handed over through chat_message()
  bool complete = false;       // the document was read to its end without error
  bool stopped = false;        // the listener stopped the parse
  std::string error;           // expat's message, or why the parse was refused
  uint64_t error_line = 0, error_column = 0;
  std::string open_model_type;  // type of the top-level model open when the parse failed
  std::string open_model_id;
};

class ReportReader {
 public:
  explicit ReportReader(ReportListener& listener, ReaderLimits limits = {});
  ~ReportReader();
  ReportReader(const ReportReader&) = delete;
  ReportReader& operator=(const ReportReader&) = delete;

  // Feeds raw report.xml bytes. Returns false once parsing has ended (error,
  // refusal or stop); further calls are ignored.
  bool feed(std::span<const unsigned char> bytes);
  // Ends the document. Safe to call once after any number of feeds.
  void finish();
  [[nodiscard]] const ReaderStats& stats() const noexcept;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace remit::ufdr
