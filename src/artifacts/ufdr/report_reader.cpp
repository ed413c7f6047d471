// ReportReader (report_reader.hpp): expat SAX callbacks building one model
// tree at a time.
//
// References: expat 2.5 API (XML_ParserCreate, XML_Parse, XML_StopParser,
// XML_SetEntityDeclHandler); element and attribute names from IPED
// UfedXmlReader.java / UfedModelHandler.java and casework
// parser_UFEDtoCASE.py (see docs/formats/ufdr.md).
#include "artifacts/ufdr/report_reader.hpp"

#include <expat.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "artifacts/ufdr/char_filter.hpp"

namespace remit::ufdr {

std::string_view find_attr(const Attrs& attrs, std::string_view name) noexcept {
  for (const auto& [k, v] : attrs)
    if (k == name) return v;
  return {};
}

const Field* Node::field(std::string_view name) const noexcept {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

const Value* Node::value(std::string_view name) const noexcept {
  const Field* f = field(name);
  if (!f) return nullptr;
  for (const auto& v : f->values)
    if (!v.empty) return &v;
  return nullptr;
}

std::string_view Node::text(std::string_view name) const noexcept {
  const Value* v = value(name);
  return v ? std::string_view(v->text) : std::string_view();
}

std::vector<const Node*> Node::models(std::string_view field_name) const {
  std::vector<const Node*> out;
  for (const auto& c : children)
    if (c.field == field_name && c.node) out.push_back(c.node.get());
  return out;
}

const Node* Node::model(std::string_view field_name) const {
  for (const auto& c : children)
    if (c.field == field_name && c.node) return c.node.get();
  return nullptr;
}

std::string_view TaggedFile::meta(std::string_view name) const noexcept {
  for (const auto& m : metadata)
    if (m.name == name) return m.value;
  return {};
}

std::string_view TaggedFile::time(std::string_view name) const noexcept {
  for (const auto& [k, v] : times)
    if (k == name) return v;
  return {};
}

namespace {

enum class Kind {
  project,
  extractions,
  extraction,
  case_info,
  case_field,
  metadata,
  meta_item,
  tagged_files,
  file,
  access_info,
  file_time,
  file_metadata,
  file_meta_item,
  decoded,
  model_type,
  model,
  field,
  value,
  empty,
  container,  // modelField / multiModelField / nodeField / other wrappers inside a model
  jumptargets,
  target_id,
  extra_infos,
  extra_info,
  node_info,
  other,  // skipped, text ignored
};

struct Frame {
  Kind kind;
  std::string name;  // field or container name, metadata section, ...
  std::string group;
};

std::string_view local_name(const XML_Char* n) {
  std::string_view s(n);
  const auto colon = s.rfind(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

// An element's attributes, looked at once (names without prefixes).
class AttList {
 public:
  explicit AttList(const XML_Char** atts) {
    for (size_t i = 0; atts && atts[i] && n_ < a_.size(); i += 2) a_[n_++] = {local_name(atts[i]), atts[i + 1]};
  }
  [[nodiscard]] std::string_view get(std::string_view name) const {
    for (size_t i = 0; i < n_; ++i)
      if (a_[i].first == name) return a_[i].second ? std::string_view(a_[i].second) : std::string_view();
    return {};
  }
  // Copies the attributes, or only those named in `keep`.
  [[nodiscard]] Attrs copy(std::initializer_list<std::string_view> keep = {}) const {
    Attrs out;
    for (size_t i = 0; i < n_; ++i) {
      if (keep.size() && std::find(keep.begin(), keep.end(), a_[i].first) == keep.end()) continue;
      out.emplace_back(a_[i].first, a_[i].second ? a_[i].second : "");
    }
    return out;
  }

 private:
  std::array<std::pair<std::string_view, const char*>, 32> a_;  // the first n_ are set
  size_t n_ = 0;
};

// The attributes models and files are read for.
#define REMIT_MODEL_ATTRS \
  { "id", "type", "deleted_state", "extractionId", "iscarved", "file_id", "attachment_extracted_path", "source_index" }
#define REMIT_FILE_ATTRS \
  { "id", "fs", "path", "name", "size", "deleted", "extractionId", "iscarved" }

void trim_in_place(std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) --e;
  if (b > 0 || e < s.size()) s = s.substr(b, e - b);
}

}  // namespace

struct ReportReader::Impl {
  ReportListener& listener;
  ReaderLimits limits;
  ReaderStats stats;
  XML_Parser parser = nullptr;
  ControlCharFilter filter;
  bool ended = false;

  std::vector<Frame> stack;
  size_t skip_depth = 0;  // > 0 while inside an element skipped for depth

  // Text capture.
  std::string text;
  bool capturing = false;
  bool truncated = false;

  // Current file / model state.
  TaggedFile file;
  Attrs item_attrs;
  std::string item_name;
  std::unique_ptr<Node> top;  // the top-level model being built
  std::vector<Node*> models;  // open models, outermost first
  size_t nodes_in_top = 0;
  size_t skipped_model_depth = 0;  // > 0 while inside a skipped nested model
  ExtraInfo extra;
  Value value;
  bool in_value = false;

  Impl(ReportListener& l, ReaderLimits lim) : listener(l), limits(lim) {
    parser = XML_ParserCreate("UTF-8");
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, &Impl::on_start, &Impl::on_end);
    XML_SetCharacterDataHandler(parser, &Impl::on_text);
    XML_SetEntityDeclHandler(parser, &Impl::on_entity_decl);
  }
  ~Impl() {
    if (parser) XML_ParserFree(parser);
  }

  void begin_capture() {
    text.clear();
    capturing = true;
    truncated = false;
  }
  std::string end_capture() {
    capturing = false;
    if (truncated) ++stats.values_truncated;
    trim_in_place(text);
    return std::move(text);
  }

  [[nodiscard]] Kind parent() const { return stack.empty() ? Kind::other : stack.back().kind; }

  void push(Kind k, std::string name = {}, std::string group = {}) {
    stack.push_back(Frame{k, std::move(name), std::move(group)});
  }

  void start_model(const AttList& atts, const std::string& field_name) {
    if (!top) {
      top = std::make_unique<Node>();
      top->type = std::string(atts.get("type"));
      top->attrs = atts.copy(REMIT_MODEL_ATTRS);
      models.assign(1, top.get());
      nodes_in_top = 1;
      push(Kind::model);
      return;
    }
    if (skipped_model_depth > 0 || models.size() >= limits.max_model_depth ||
        nodes_in_top >= limits.max_nodes_per_model) {
      if (skipped_model_depth == 0) {
        if (models.size() >= limits.max_model_depth)
          ++stats.models_too_deep;
        else
          ++stats.models_over_node_limit;
      }
      ++skipped_model_depth;
      push(Kind::other, "model");
      return;
    }
    auto child = std::make_unique<Node>();
    child->type = std::string(atts.get("type"));
    // Nested models are read for their fields; only messages and
    // attachments are read for their attributes too (id, deleted_state,
    // file_id, ...). Skipping the rest saves an allocation per Party.
    if (child->type == "InstantMessage" || child->type == "Attachment" || child->type == "Chat")
      child->attrs = atts.copy(REMIT_MODEL_ATTRS);
    Node* raw = child.get();
    models.back()->children.push_back(Child{field_name, std::move(child)});
    models.push_back(raw);
    ++nodes_in_top;
    push(Kind::model);
  }

  void end_model() {
    if (models.empty()) return;
    Node* done = models.back();
    models.pop_back();
    if (models.empty()) {
      ++stats.top_models;
      auto m = std::move(top);
      listener.model(std::move(m));
      return;
    }
    // An InstantMessage closing inside the top-level Chat's "Messages" field
    // is handed over at once and dropped from the chat.
    if (models.size() == 1 && top->type == "Chat" && done->type == "InstantMessage") {
      Node* chat = models.front();
      if (!chat->children.empty() && chat->children.back().node.get() == done &&
          chat->children.back().field == "Messages") {
        auto msg = std::move(chat->children.back().node);
        chat->children.pop_back();
        ++stats.chat_messages;
        listener.chat_message(*chat, std::move(msg));
      }
    }
  }

  void start(const XML_Char* raw_name, const XML_Char** raw_atts) {
    if (skip_depth > 0 || stack.size() >= limits.max_element_depth) {
      if (skip_depth == 0) ++stats.elements_too_deep;
      ++skip_depth;
      return;
    }
    const std::string_view name = local_name(raw_name);
    const AttList atts(raw_atts);
    const Kind p = stack.empty() ? Kind::extra_infos /* root */ : parent();
    if (stack.empty()) {
      listener.project(atts.copy());
      push(Kind::project);
      return;
    }
    if (name == "extraInfo" && p != Kind::model && p != Kind::container && p != Kind::field && p != Kind::other) {
      extra = ExtraInfo{};
      extra.id = std::string(atts.get("id"));
      push(Kind::extra_info);
      return;
    }
    switch (p) {
      case Kind::project:
        if (name == "sourceExtractions") return push(Kind::extractions);
        if (name == "caseInformation") return push(Kind::case_info);
        if (name == "metadata") return push(Kind::metadata, std::string(atts.get("section")));
        if (name == "taggedFiles") return push(Kind::tagged_files);
        if (name == "decodedData") {
          listener.decoded_data_begin();
          return push(Kind::decoded);
        }
        if (name == "extraInfos") return push(Kind::extra_infos);
        return push(Kind::other);
      case Kind::extractions:
        if (name == "extractionInfo") {
          listener.extraction(atts.copy());
          return push(Kind::extraction);
        }
        return push(Kind::other);
      case Kind::case_info:
        if (name == "field") {
          item_attrs = atts.copy();
          begin_capture();
          return push(Kind::case_field);
        }
        return push(Kind::other);
      case Kind::metadata:
        if (name == "item") {
          item_attrs = atts.copy();
          item_name = std::string(atts.get("name"));
          begin_capture();
          return push(Kind::meta_item);
        }
        return push(Kind::other);
      case Kind::tagged_files:
        if (name == "file") {
          file = TaggedFile{};
          file.attrs = atts.copy(REMIT_FILE_ATTRS);
          return push(Kind::file);
        }
        return push(Kind::other);
      case Kind::file:
        if (name == "accessInfo") return push(Kind::access_info);
        if (name == "metadata")
          return push(Kind::file_metadata, std::string(atts.get("section")), std::string(atts.get("group")));
        return push(Kind::other);
      case Kind::access_info:
        if (name == "timestamp") {
          item_name = std::string(atts.get("name"));
          begin_capture();
          return push(Kind::file_time);
        }
        return push(Kind::other);
      case Kind::file_metadata:
        if (name == "item") {
          item_name = std::string(atts.get("name"));
          begin_capture();
          return push(Kind::file_meta_item);
        }
        return push(Kind::other);
      case Kind::decoded:
        if (name == "modelType") return push(Kind::model_type, std::string(atts.get("type")));
        return push(Kind::other);
      case Kind::model_type:
        if (name == "model") return start_model(atts, {});
        return push(Kind::other);
      case Kind::model:
        if (skipped_model_depth > 0) return push(Kind::other);
        if (name == "field" || name == "multiField") {
          Field f;
          f.name = std::string(atts.get("name"));
          f.type = std::string(atts.get("type"));
          f.multi = name == "multiField";
          models.back()->fields.push_back(std::move(f));
          return push(Kind::field);
        }
        if (name == "jumptargets") return push(Kind::jumptargets);
        if (name == "model") return start_model(atts, {});
        // modelField, multiModelField, nodeField and any other wrapper.
        {
          std::string n(atts.get("name"));
          if (n.empty()) n = std::string(name);
          return push(Kind::container, std::move(n));
        }
      case Kind::container:
        if (name == "model") return start_model(atts, stack.back().name);
        return push(Kind::other);
      case Kind::field:
        if (name == "value") {
          value = Value{};
          value.type = std::string(atts.get("type"));
          value.format = std::string(atts.get("format"));
          value.formatted = std::string(atts.get("formattedTimestamp"));
          begin_capture();
          return push(Kind::value);
        }
        if (name == "empty") {
          Value v;
          v.empty = true;
          models.back()->fields.back().values.push_back(std::move(v));
          return push(Kind::empty);
        }
        return push(Kind::other);
      case Kind::jumptargets:
        if (name == "targetid") {
          item_name = std::string(atts.get("ismodel"));
          begin_capture();
          return push(Kind::target_id);
        }
        return push(Kind::other);
      case Kind::extra_infos:
        return push(Kind::other);
      case Kind::extra_info:
        if (name == "nodeInfo") {
          if (extra.nodes++ == 0) {
            extra.path = std::string(atts.get("path"));
            extra.table = std::string(atts.get("tableName"));
            extra.node_id = std::string(atts.get("id"));
            extra.offset = std::string(atts.get("offset"));
          }
          return push(Kind::node_info);
        }
        return push(Kind::other);
      default:
        return push(Kind::other);
    }
  }

  void end() {
    if (skip_depth > 0) {
      --skip_depth;
      return;
    }
    if (stack.empty()) return;
    const Frame f = std::move(stack.back());
    stack.pop_back();
    switch (f.kind) {
      case Kind::case_field:
        listener.case_field(item_attrs, end_capture());
        break;
      case Kind::meta_item: {
        MetadataItem it;
        it.section = stack.empty() ? std::string() : stack.back().name;
        it.name = std::move(item_name);
        it.value = end_capture();
        it.attrs = std::move(item_attrs);
        listener.metadata_item(std::move(it));
        break;
      }
      case Kind::file_time:
        file.times.emplace_back(std::move(item_name), end_capture());
        break;
      case Kind::file_meta_item: {
        TaggedFile::Meta m;
        if (!stack.empty()) {
          m.section = stack.back().name;
          m.group = stack.back().group;
        }
        m.name = std::move(item_name);
        m.value = end_capture();
        file.metadata.push_back(std::move(m));
        break;
      }
      case Kind::file:
        listener.tagged_file(std::move(file));
        file = TaggedFile{};
        break;
      case Kind::value:
        value.text = end_capture();
        if (!models.empty() && !models.back()->fields.empty())
          models.back()->fields.back().values.push_back(std::move(value));
        break;
      case Kind::target_id: {
        JumpTarget jt;
        jt.is_model = item_name == "true" || item_name == "True" || item_name == "TRUE";
        jt.id = end_capture();
        if (!models.empty() && !jt.id.empty()) models.back()->jumptargets.push_back(std::move(jt));
        break;
      }
      case Kind::model:
        end_model();
        break;
      case Kind::other:
        if (f.name == "model" && skipped_model_depth > 0) --skipped_model_depth;
        break;
      case Kind::extra_info:
        if (!extra.id.empty()) listener.extra_info(std::move(extra));
        extra = ExtraInfo{};
        break;
      default:
        break;
    }
    if (listener.want_stop() && !stats.stopped) {
      stats.stopped = true;
      XML_StopParser(parser, XML_FALSE);
    }
  }

  void on_chars(const XML_Char* s, int len) {
    if (!capturing || skip_depth > 0 || len <= 0) return;
    const size_t n = static_cast<size_t>(len);
    if (text.size() + n > limits.max_value_bytes) {
      truncated = true;
      const size_t room = limits.max_value_bytes > text.size() ? limits.max_value_bytes - text.size() : 0;
      text.append(s, std::min(room, n));
      return;
    }
    text.append(s, n);
  }

  static void XMLCALL on_start(void* ud, const XML_Char* name, const XML_Char** atts) {
    static_cast<Impl*>(ud)->start(name, atts);
  }
  static void XMLCALL on_end(void* ud, const XML_Char*) { static_cast<Impl*>(ud)->end(); }
  static void XMLCALL on_text(void* ud, const XML_Char* s, int len) { static_cast<Impl*>(ud)->on_chars(s, len); }
  static void XMLCALL on_entity_decl(void* ud, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                                     const XML_Char*, const XML_Char*, const XML_Char*) {
    auto* self = static_cast<Impl*>(ud);
    if (self->stats.error.empty()) self->stats.error = "the document declares entities; refused (no DTD is expected)";
    XML_StopParser(self->parser, XML_FALSE);
  }

  bool parse_buffer(size_t n, bool final) {
    if (ended) return false;
    if (XML_ParseBuffer(parser, static_cast<int>(n), final ? XML_TRUE : XML_FALSE) == XML_STATUS_ERROR) {
      const XML_Error code = XML_GetErrorCode(parser);
      if (code == XML_ERROR_ABORTED && stats.stopped && stats.error.empty()) {
        ended = true;  // the listener asked to stop: not an error
        return false;
      }
      if (code != XML_ERROR_ABORTED || stats.error.empty()) stats.error = XML_ErrorString(code);
      stats.error_line = XML_GetCurrentLineNumber(parser);
      stats.error_column = XML_GetCurrentColumnNumber(parser);
      fail();
      return false;
    }
    if (stats.stopped) {
      ended = true;
      return false;
    }
    return true;
  }

  void fail() {
    ended = true;
    if (top) {
      stats.open_model_type = top->type;
      stats.open_model_id = std::string(top->id());
    }
  }

  void count_filter() {
    stats.control_refs = filter.references_replaced();
    stats.control_bytes = filter.raw_bytes_replaced();
    stats.invalid_utf8 = filter.invalid_utf8_replaced();
  }
};

ReportReader::ReportReader(ReportListener& listener, ReaderLimits limits)
    : impl_(std::make_unique<Impl>(listener, limits)) {}
ReportReader::~ReportReader() = default;

bool ReportReader::feed(std::span<const unsigned char> bytes) {
  Impl& s = *impl_;
  if (s.ended) return false;
  s.stats.bytes_in += bytes.size();
  // The filter writes straight into expat's buffer (no intermediate copy).
  constexpr size_t kPiece = 1u << 20;
  for (size_t off = 0; off < bytes.size(); off += kPiece) {
    const size_t n = std::min(kPiece, bytes.size() - off);
    void* buf = XML_GetBuffer(s.parser, static_cast<int>(ControlCharFilter::max_output(n)));
    if (!buf) {
      s.stats.error = "out of memory";
      s.fail();
      s.count_filter();
      return false;
    }
    const size_t m = s.filter.feed(reinterpret_cast<const char*>(bytes.data() + off), n, static_cast<char*>(buf));
    if (!s.parse_buffer(m, false)) {
      s.count_filter();
      return false;
    }
  }
  s.count_filter();
  return true;
}

void ReportReader::finish() {
  Impl& s = *impl_;
  if (s.ended) return;
  void* buf = XML_GetBuffer(s.parser, static_cast<int>(ControlCharFilter::max_output(0)));
  const size_t m = buf ? s.filter.finish(static_cast<char*>(buf)) : 0;
  s.count_filter();
  if (s.parse_buffer(m, true)) {
    s.ended = true;
    s.stats.complete = true;
  }
}

const ReaderStats& ReportReader::stats() const noexcept {
  return impl_->stats;
}

}  // namespace remit::ufdr
