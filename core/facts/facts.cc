// The fact codec: the one place that reads and writes facts' JSON by field name.
#include "dossier/facts.h"

#include <array>
#include <limits>
#include <utility>

namespace dossier {
namespace {

using nlohmann::json;

template <typename E, size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<EntityType, 3> kEntityTypes = {
    {{EntityType::kOrganisation, "organisation"}, {EntityType::kProgramme, "programme"}, {EntityType::kOther, "other"}}};
constexpr Names<ItemType, 3> kItemTypes = {{{ItemType::kRecommendation, "recommendation"},
                                            {ItemType::kFinding, "finding"},
                                            {ItemType::kConclusion, "conclusion"}}};
constexpr Names<ResponseStatus, 3> kResponseStatuses = {{{ResponseStatus::kAccepted, "accepted"},
                                                         {ResponseStatus::kPartiallyAccepted, "partially accepted"},
                                                         {ResponseStatus::kNotAccepted, "not accepted"}}};
constexpr Names<ActionStatus, 5> kActionStatuses = {{{ActionStatus::kNotStarted, "not started"},
                                                     {ActionStatus::kInitiated, "initiated"},
                                                     {ActionStatus::kCompleted, "completed"},
                                                     {ActionStatus::kOverdue, "overdue"},
                                                     {ActionStatus::kNoLongerApplicable, "no longer applicable"}}};
constexpr Names<DatePrecision, 4> kPrecisions = {{{DatePrecision::kYear, "year"},
                                                  {DatePrecision::kMonth, "month"},
                                                  {DatePrecision::kDay, "day"},
                                                  {DatePrecision::kQuarter, "quarter"}}};
constexpr Names<RelationType, 4> kRelationTypes = {{{RelationType::kFunds, "funds"},
                                                    {RelationType::kImplements, "implements"},
                                                    {RelationType::kLeads, "leads"},
                                                    {RelationType::kMemberOf, "member_of"}}};

template <typename E, size_t N>
std::string_view NameIn(const Names<E, N>& names, E value) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "";
}

template <typename E, size_t N>
bool ParseIn(const Names<E, N>& names, std::string_view name, E* value) {
  for (const auto& [v, n] : names) {
    if (n == name) {
      *value = v;
      return true;
    }
  }
  return false;
}

template <typename E, size_t N>
std::string Choices(const Names<E, N>& names) {
  std::string out;
  for (const auto& [v, n] : names) out += (out.empty() ? "" : "|") + std::string(n);
  return out;
}

std::string TypeName(const json& value) {
  if (value.is_number_integer() && value.is_number_unsigned()) return "unsigned integer";
  if (value.is_number_integer()) return value.get<int64_t>() < 0 ? "negative integer" : "integer";
  return value.type_name();
}

json OrNull(const std::optional<std::string>& value) { return value ? json(*value) : json(nullptr); }

// Reads the fields of one JSON object, naming the fact's kind and the field
// (with its path inside the fact: "key_actions[2].status") in every error.
class Reader {
 public:
  Reader(const json& object, std::string kind, std::string path = "")
      : object_(object), kind_(std::move(kind)), path_(std::move(path)) {}

  Status Error(std::string_view field, std::string_view what) const {
    return Status::InvalidArgument(kind_ + " fact: field \"" + path_ + std::string(field) + "\": " + std::string(what));
  }
  Status Missing(std::string_view field) const {
    return Status::InvalidArgument(kind_ + " fact: missing required field \"" + path_ + std::string(field) + "\"");
  }
  Status WrongType(std::string_view field, std::string_view expected, const json& got) const {
    return Error(field, "expected " + std::string(expected) + ", got " + TypeName(got));
  }

  // The field, or null when absent (nullptr) — `required` makes absence an error.
  Result<const json*> Find(std::string_view field, bool required) const {
    auto it = object_.find(field);
    if (it == object_.end()) {
      if (required) return Missing(field);
      return static_cast<const json*>(nullptr);
    }
    return &*it;
  }

  Status String(std::string_view field, bool required, std::string* out) const {
    DOSSIER_ASSIGN_OR_RETURN(const json* v, Find(field, required));
    if (!v) return Status::Ok();
    if (!v->is_string()) return WrongType(field, "a string", *v);
    *out = v->get<std::string>();
    return Status::Ok();
  }
  // A string or null (nullopt); absent is nullopt too.
  Status OptionalString(std::string_view field, std::optional<std::string>* out) const {
    DOSSIER_ASSIGN_OR_RETURN(const json* v, Find(field, false));
    if (!v || v->is_null()) return Status::Ok();
    if (!v->is_string()) return WrongType(field, "a string or null", *v);
    *out = v->get<std::string>();
    return Status::Ok();
  }
  template <typename U>
  Status Unsigned(std::string_view field, bool required, U* out) const {
    DOSSIER_ASSIGN_OR_RETURN(const json* v, Find(field, required));
    if (!v) return Status::Ok();
    if (!v->is_number_integer() || (!v->is_number_unsigned() && v->get<int64_t>() < 0)) {
      return WrongType(field, "a non-negative integer", *v);
    }
    const uint64_t n = v->get<uint64_t>();
    if (n > std::numeric_limits<U>::max()) return Error(field, "out of range: " + std::to_string(n));
    *out = static_cast<U>(n);
    return Status::Ok();
  }
  Status Bool(std::string_view field, bool required, bool* out) const {
    DOSSIER_ASSIGN_OR_RETURN(const json* v, Find(field, required));
    if (!v) return Status::Ok();
    if (!v->is_boolean()) return WrongType(field, "true or false", *v);
    *out = v->get<bool>();
    return Status::Ok();
  }
  Status Strings(std::string_view field, bool required, std::vector<std::string>* out) const {
    DOSSIER_ASSIGN_OR_RETURN(const json* v, Find(field, required));
    if (!v) return Status::Ok();
    if (!v->is_array()) return WrongType(field, "an array of strings", *v);
    out->clear();
    for (size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) return WrongType(std::string(field) + "[" + std::to_string(i) + "]", "a string", (*v)[i]);
      out->push_back((*v)[i].get<std::string>());
    }
    return Status::Ok();
  }
  template <typename E, size_t N>
  Status Enum(std::string_view field, bool required, const Names<E, N>& names, E* out) const {
    DOSSIER_ASSIGN_OR_RETURN(const json* v, Find(field, required));
    if (!v) return Status::Ok();
    if (!v->is_string()) return WrongType(field, "a string (" + Choices(names) + ")", *v);
    if (!ParseIn(names, v->get<std::string_view>(), out)) {
      return Error(field, "unknown value \"" + v->get<std::string>() + "\" (expected " + Choices(names) + ")");
    }
    return Status::Ok();
  }
  // An array of objects, each read by `read(reader for element i, index)`.
  template <typename F>
  Status Objects(std::string_view field, F&& read) const {
    DOSSIER_ASSIGN_OR_RETURN(const json* v, Find(field, false));
    if (!v) return Status::Ok();
    if (!v->is_array()) return WrongType(field, "an array of objects", *v);
    for (size_t i = 0; i < v->size(); ++i) {
      const std::string at = std::string(field) + "[" + std::to_string(i) + "]";
      if (!(*v)[i].is_object()) return WrongType(at, "an object", (*v)[i]);
      DOSSIER_RETURN_IF_ERROR(read(Reader((*v)[i], kind_, path_ + at + "."), i));
    }
    return Status::Ok();
  }

 private:
  const json& object_;
  std::string kind_;
  std::string path_;  // "key_actions[2]." inside an item
};

Result<Fact> DecodeEntity(const Reader& r) {
  EntityFact f;
  DOSSIER_RETURN_IF_ERROR(r.String("key", false, &f.key));
  DOSSIER_RETURN_IF_ERROR(r.Enum("type", true, kEntityTypes, &f.type));
  DOSSIER_RETURN_IF_ERROR(r.String("name", true, &f.name));
  DOSSIER_RETURN_IF_ERROR(r.Strings("aliases", false, &f.aliases));
  DOSSIER_RETURN_IF_ERROR(r.Objects("mentions", [&](const Reader& m, size_t) {
    Mention mention;
    DOSSIER_RETURN_IF_ERROR(m.Unsigned("page", true, &mention.page));
    DOSSIER_RETURN_IF_ERROR(m.Unsigned("start", true, &mention.start));
    DOSSIER_RETURN_IF_ERROR(m.Unsigned("end", true, &mention.end));
    f.mentions.push_back(mention);
    return Status::Ok();
  }));
  DOSSIER_RETURN_IF_ERROR(r.OptionalString("part_of", &f.part_of));
  DOSSIER_RETURN_IF_ERROR(r.Bool("authority", false, &f.authority));
  return Fact(std::move(f));
}

Status DecodeKeyAction(const Reader& r, KeyAction* a) {
  DOSSIER_RETURN_IF_ERROR(r.String("number", false, &a->number));
  DOSSIER_RETURN_IF_ERROR(r.String("text", true, &a->text));
  DOSSIER_RETURN_IF_ERROR(r.Strings("responsible", false, &a->responsible));
  DOSSIER_RETURN_IF_ERROR(r.OptionalString("time_frame", &a->time_frame));
  DOSSIER_RETURN_IF_ERROR(r.OptionalString("start", &a->start));
  DOSSIER_RETURN_IF_ERROR(r.OptionalString("due", &a->due));
  DOSSIER_ASSIGN_OR_RETURN(const json* status, r.Find("status", false));
  if (status && !status->is_null()) {
    ActionStatus s = ActionStatus::kNotStarted;
    DOSSIER_RETURN_IF_ERROR(r.Enum("status", true, kActionStatuses, &s));
    a->status = s;
  }
  DOSSIER_RETURN_IF_ERROR(r.OptionalString("status_text", &a->status_text));
  DOSSIER_RETURN_IF_ERROR(r.Unsigned("page", false, &a->page));
  return Status::Ok();
}

Result<Fact> DecodeItem(const Reader& r) {
  ItemFact f;
  DOSSIER_RETURN_IF_ERROR(r.Enum("item_type", true, kItemTypes, &f.item_type));
  DOSSIER_RETURN_IF_ERROR(r.String("number", true, &f.number));
  DOSSIER_RETURN_IF_ERROR(r.String("text", true, &f.text));
  DOSSIER_RETURN_IF_ERROR(r.Unsigned("page", true, &f.page));
  DOSSIER_RETURN_IF_ERROR(r.Unsigned("start", true, &f.start));
  DOSSIER_RETURN_IF_ERROR(r.Unsigned("end", true, &f.end));
  DOSSIER_RETURN_IF_ERROR(r.Objects("based_on", [&](const Reader& ref, size_t) {
    ItemReference reference;
    DOSSIER_RETURN_IF_ERROR(ref.Enum("item_type", true, kItemTypes, &reference.item_type));
    DOSSIER_RETURN_IF_ERROR(ref.String("number", true, &reference.number));
    f.based_on.push_back(std::move(reference));
    return Status::Ok();
  }));
  DOSSIER_RETURN_IF_ERROR(r.Strings("responsible", false, &f.responsible));
  DOSSIER_RETURN_IF_ERROR(r.OptionalString("due", &f.due));
  DOSSIER_ASSIGN_OR_RETURN(const json* response, r.Find("management_response", false));
  if (response && !response->is_null()) {
    if (!response->is_object()) return r.WrongType("management_response", "an object", *response);
    const Reader m(*response, "item", "management_response.");
    ManagementResponse mr;
    DOSSIER_RETURN_IF_ERROR(m.Enum("status", true, kResponseStatuses, &mr.status));
    DOSSIER_RETURN_IF_ERROR(m.String("text", false, &mr.text));
    DOSSIER_RETURN_IF_ERROR(m.Unsigned("page", false, &mr.page));
    f.management_response = std::move(mr);
  }
  DOSSIER_RETURN_IF_ERROR(r.Objects("key_actions", [&](const Reader& a, size_t) {
    KeyAction action;
    DOSSIER_RETURN_IF_ERROR(DecodeKeyAction(a, &action));
    f.key_actions.push_back(std::move(action));
    return Status::Ok();
  }));
  return Fact(std::move(f));
}

Result<Fact> DecodeDate(const Reader& r) {
  DateFact f;
  DOSSIER_RETURN_IF_ERROR(r.String("text", true, &f.text));
  DOSSIER_RETURN_IF_ERROR(r.String("value", true, &f.value));
  DOSSIER_RETURN_IF_ERROR(r.Enum("precision", true, kPrecisions, &f.precision));
  DOSSIER_RETURN_IF_ERROR(r.OptionalString("end_value", &f.end_value));
  DOSSIER_RETURN_IF_ERROR(r.Unsigned("page", true, &f.page));
  DOSSIER_RETURN_IF_ERROR(r.Unsigned("start", true, &f.start));
  DOSSIER_RETURN_IF_ERROR(r.Unsigned("end", true, &f.end));
  return Fact(std::move(f));
}

Result<Fact> DecodeRelation(const Reader& r) {
  RelationFact f;
  DOSSIER_RETURN_IF_ERROR(r.Enum("type", true, kRelationTypes, &f.type));
  DOSSIER_RETURN_IF_ERROR(r.String("source", true, &f.source));
  DOSSIER_RETURN_IF_ERROR(r.String("target", true, &f.target));
  DOSSIER_RETURN_IF_ERROR(r.Unsigned("page", false, &f.page));
  DOSSIER_RETURN_IF_ERROR(r.Unsigned("start", false, &f.start));
  DOSSIER_RETURN_IF_ERROR(r.Unsigned("end", false, &f.end));
  DOSSIER_RETURN_IF_ERROR(r.String("text", false, &f.text));
  return Fact(std::move(f));
}

}  // namespace

std::string_view WireName(EntityType value) { return NameIn(kEntityTypes, value); }
std::string_view WireName(ItemType value) { return NameIn(kItemTypes, value); }
std::string_view WireName(ResponseStatus value) { return NameIn(kResponseStatuses, value); }
std::string_view WireName(ActionStatus value) { return NameIn(kActionStatuses, value); }
std::string_view WireName(DatePrecision value) { return NameIn(kPrecisions, value); }
std::string_view WireName(RelationType value) { return NameIn(kRelationTypes, value); }
bool ParseWireName(std::string_view name, EntityType* value) { return ParseIn(kEntityTypes, name, value); }
bool ParseWireName(std::string_view name, ItemType* value) { return ParseIn(kItemTypes, name, value); }
bool ParseWireName(std::string_view name, ResponseStatus* value) { return ParseIn(kResponseStatuses, name, value); }
bool ParseWireName(std::string_view name, ActionStatus* value) { return ParseIn(kActionStatuses, name, value); }
bool ParseWireName(std::string_view name, DatePrecision* value) { return ParseIn(kPrecisions, name, value); }
bool ParseWireName(std::string_view name, RelationType* value) { return ParseIn(kRelationTypes, name, value); }

std::string_view FactKind(const Fact& fact) {
  struct Visitor {
    std::string_view operator()(const EntityFact&) const { return "entity"; }
    std::string_view operator()(const ItemFact&) const { return "item"; }
    std::string_view operator()(const DateFact&) const { return "date"; }
    std::string_view operator()(const DocumentDateFact&) const { return "document_date"; }
    std::string_view operator()(const EvaluationTitleFact& f) const {
      return f.responds_to ? "responds_to" : "evaluation_title";
    }
    std::string_view operator()(const RelationFact&) const { return "relation"; }
    std::string_view operator()(const StructureFact&) const { return "structure"; }
  };
  return std::visit(Visitor{}, fact);
}

json ToJson(const Mention& m) { return {{"page", m.page}, {"start", m.start}, {"end", m.end}}; }

json ToJson(const ManagementResponse& response) {
  return {{"status", WireName(response.status)}, {"text", response.text}, {"page", response.page}};
}

json ToJson(const KeyAction& a) {
  return {{"number", a.number},
          {"text", a.text},
          {"responsible", a.responsible},
          {"time_frame", OrNull(a.time_frame)},
          {"start", OrNull(a.start)},
          {"due", OrNull(a.due)},
          {"status", a.status ? json(WireName(*a.status)) : json(nullptr)},
          {"status_text", OrNull(a.status_text)},
          {"page", a.page}};
}

json FactToJson(const Fact& fact) {
  json out;
  if (const auto* f = std::get_if<EntityFact>(&fact)) {
    json mentions = json::array();
    for (const Mention& m : f->mentions) mentions.push_back(ToJson(m));
    out = {{"key", f->key},           {"type", WireName(f->type)},   {"name", f->name},
           {"aliases", f->aliases},   {"mentions", std::move(mentions)}, {"authority", f->authority}};
    if (f->part_of) out["part_of"] = *f->part_of;
  } else if (const auto* f = std::get_if<ItemFact>(&fact)) {
    out = {{"item_type", WireName(f->item_type)}, {"number", f->number}, {"text", f->text},
           {"page", f->page},                     {"start", f->start},   {"end", f->end}};
    if (!f->based_on.empty()) {
      json refs = json::array();
      for (const ItemReference& ref : f->based_on) {
        refs.push_back({{"item_type", WireName(ref.item_type)}, {"number", ref.number}});
      }
      out["based_on"] = std::move(refs);
    }
    const bool recommendation = f->item_type == ItemType::kRecommendation;
    if (recommendation || !f->responsible.empty()) out["responsible"] = f->responsible;
    if (recommendation || f->due) out["due"] = OrNull(f->due);
    if (f->management_response) out["management_response"] = ToJson(*f->management_response);
    if (!f->key_actions.empty()) {
      json actions = json::array();
      for (const KeyAction& a : f->key_actions) actions.push_back(ToJson(a));
      out["key_actions"] = std::move(actions);
    }
  } else if (const auto* f = std::get_if<DateFact>(&fact)) {
    out = {{"text", f->text}, {"value", f->value}, {"precision", WireName(f->precision)},
           {"page", f->page}, {"start", f->start}, {"end", f->end}};
    if (f->end_value) out["end_value"] = *f->end_value;
  } else if (const auto* f = std::get_if<DocumentDateFact>(&fact)) {
    out = {{"value", f->value}};
  } else if (const auto* f = std::get_if<EvaluationTitleFact>(&fact)) {
    out = {{"title", f->title}, {"key", f->key}};
  } else if (const auto* f = std::get_if<RelationFact>(&fact)) {
    out = {{"type", WireName(f->type)}, {"source", f->source}, {"target", f->target}, {"page", f->page},
           {"start", f->start},         {"end", f->end},       {"text", f->text}};
  } else if (const auto* f = std::get_if<StructureFact>(&fact)) {
    out = f->body.is_object() ? f->body : json::object();
  }
  out["kind"] = FactKind(fact);
  return out;
}

std::string EncodeFact(const Fact& fact) {
  // Text read from documents may hold invalid UTF-8: written as U+FFFD, never thrown.
  return FactToJson(fact).dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Fact> DecodeFactJson(const json& value) {
  if (!value.is_object()) return Status::InvalidArgument("fact: expected a JSON object, got " + TypeName(value));
  auto kind_it = value.find("kind");
  if (kind_it == value.end()) return Status::InvalidArgument("fact: missing required field \"kind\"");
  if (!kind_it->is_string()) {
    return Status::InvalidArgument("fact: field \"kind\": expected a string, got " + TypeName(*kind_it));
  }
  const std::string kind = kind_it->get<std::string>();
  const Reader r(value, kind);
  if (kind == "entity") return DecodeEntity(r);
  if (kind == "item") return DecodeItem(r);
  if (kind == "date") return DecodeDate(r);
  if (kind == "relation") return DecodeRelation(r);
  if (kind == "document_date") {
    DocumentDateFact f;
    DOSSIER_RETURN_IF_ERROR(r.String("value", true, &f.value));
    return Fact(std::move(f));
  }
  if (kind == "evaluation_title" || kind == "responds_to") {
    EvaluationTitleFact f;
    f.responds_to = kind == "responds_to";
    DOSSIER_RETURN_IF_ERROR(r.String("title", true, &f.title));
    DOSSIER_RETURN_IF_ERROR(r.String("key", true, &f.key));
    return Fact(std::move(f));
  }
  if (kind == "structure") {
    StructureFact f;
    f.body = value;
    f.body.erase("kind");
    return Fact(std::move(f));
  }
  return Status::Unimplemented("fact: unknown kind \"" + kind + "\"");
}

Result<Fact> DecodeFact(std::string_view text) {
  json value = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return Status::InvalidArgument("fact: not valid JSON");
  return DecodeFactJson(value);
}

bool IsUnknownFactKind(const Status& status) { return status.code() == StatusCode::kUnimplemented; }

std::vector<Fact> DecodeFacts(const std::vector<std::string>& texts) {
  std::vector<Fact> out;
  out.reserve(texts.size());
  for (const std::string& text : texts) {
    Result<Fact> fact = DecodeFact(text);
    if (fact.ok()) out.push_back(std::move(fact).value());
  }
  return out;
}

}  // namespace dossier
