// Facts: what extractor plugins find in a document, as types.
//
// facts.h is the fact grammar. An extractor builds these structs and sends
// each one through the plugin ABI as the JSON text EncodeFact makes; the host
// reads it back with DecodeFact. That codec (core/facts/facts.cc, the
// `dossier_facts` library, which plugins link without the core) is the only
// place that reads or writes a fact's JSON by field name: the graph, the text
// index, the store and the query service work with these types. The JSON
// forms are listed in docs/ARCHITECTURE.md ("Fact grammar"); each struct
// below names its fields as they are spelled on the wire.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "dossier/status.h"

namespace dossier {

// ---------------------------------------------------------------- enums (wire names in comments)

enum class EntityType { kOrganisation, kProgramme, kOther };            // organisation | programme | other
enum class ItemType { kRecommendation, kFinding, kConclusion };         // recommendation | finding | conclusion
enum class ResponseStatus { kAccepted, kPartiallyAccepted, kNotAccepted };  // accepted | partially accepted | not accepted
// A key action's tracking status: not started | initiated | completed | overdue | no longer applicable.
enum class ActionStatus { kNotStarted, kInitiated, kCompleted, kOverdue, kNoLongerApplicable };
enum class DatePrecision { kYear, kMonth, kDay, kQuarter };             // year | month | day | quarter
enum class RelationType { kFunds, kImplements, kLeads, kMemberOf };     // funds | implements | leads | member_of

// The wire name of each value ("partially accepted", "member_of").
std::string_view WireName(EntityType value);
std::string_view WireName(ItemType value);
std::string_view WireName(ResponseStatus value);
std::string_view WireName(ActionStatus value);
std::string_view WireName(DatePrecision value);
std::string_view WireName(RelationType value);
// The value a wire name stands for; false (and `*value` untouched) for any other text.
bool ParseWireName(std::string_view name, EntityType* value);
bool ParseWireName(std::string_view name, ItemType* value);
bool ParseWireName(std::string_view name, ResponseStatus* value);
bool ParseWireName(std::string_view name, ActionStatus* value);
bool ParseWireName(std::string_view name, DatePrecision* value);
bool ParseWireName(std::string_view name, RelationType* value);

// ---------------------------------------------------------------- the facts

// Where a name or date was read: a page and byte offsets in its stored text.
struct Mention {
  uint32_t page = 0;
  uint64_t start = 0, end = 0;  // "start", "end"
  bool operator==(const Mention&) const = default;
};

// {"kind":"entity"}: a body the document names.
struct EntityFact {
  std::string key;                     // "key": the extractor's own key (optional on the wire; "" when absent)
  EntityType type = EntityType::kOther;  // "type" (required)
  std::string name;                    // "name" (required)
  std::vector<std::string> aliases;    // "aliases"
  std::vector<Mention> mentions;       // "mentions"
  std::optional<std::string> part_of;  // "part_of": the parent body's name, absent when none
  bool authority = false;              // "authority": known from the authority file
  bool operator==(const EntityFact&) const = default;
};

// "based_on": another item of the same document an item says it rests on.
struct ItemReference {
  ItemType item_type = ItemType::kRecommendation;  // "item_type"
  std::string number;                              // "number"
  bool operator==(const ItemReference&) const = default;
};

// "management_response" of a recommendation.
struct ManagementResponse {
  ResponseStatus status = ResponseStatus::kAccepted;  // "status"
  std::string text;                                   // "text"
  uint32_t page = 0;                                  // "page"
  bool operator==(const ManagementResponse&) const = default;
};

// One of "key_actions" under a recommendation. Text fields that were not
// stated are nullopt (null on the wire).
struct KeyAction {
  std::string number;                        // "number"
  std::string text;                          // "text"
  std::vector<std::string> responsible;      // "responsible": entity names
  std::optional<std::string> time_frame;     // "time_frame": as printed
  std::optional<std::string> start, due;     // "start", "due": YYYY[-MM[-DD]]
  std::optional<ActionStatus> status;        // "status"
  std::optional<std::string> status_text;    // "status_text": as printed
  uint32_t page = 0;                         // "page"
  bool operator==(const KeyAction&) const = default;
};

// {"kind":"item"}: a numbered recommendation, finding or conclusion.
// `responsible` and `due` are written for every recommendation (an empty
// list, null) and for other items only when set, as the grammar has them;
// `based_on` and `key_actions` only when not empty.
struct ItemFact {
  ItemType item_type = ItemType::kRecommendation;  // "item_type" (required)
  std::string number;                              // "number" (required): "1", "A.2", "R3"
  std::string text;                                // "text" (required)
  uint32_t page = 0;                               // "page" (required)
  uint64_t start = 0, end = 0;                     // "start", "end" (required)
  std::vector<ItemReference> based_on;             // "based_on"
  std::vector<std::string> responsible;            // "responsible": entity names
  std::optional<std::string> due;                  // "due": YYYY[-MM[-DD]], null when not stated
  std::optional<ManagementResponse> management_response;  // "management_response"
  std::vector<KeyAction> key_actions;              // "key_actions"
  bool operator==(const ItemFact&) const = default;
};

// {"kind":"date"}: a date the text states.
struct DateFact {
  std::string text;                       // "text" (required): as printed
  std::string value;                      // "value" (required): YYYY[-MM[-DD]]
  DatePrecision precision = DatePrecision::kDay;  // "precision" (required)
  std::optional<std::string> end_value;   // "end_value": the end of a range, absent when none
  uint32_t page = 0;                      // "page" (required)
  uint64_t start = 0, end = 0;            // "start", "end" (required)
  bool operator==(const DateFact&) const = default;
};

// {"kind":"document_date"}: the document's own date.
struct DocumentDateFact {
  std::string value;  // "value" (required)
  bool operator==(const DocumentDateFact&) const = default;
};

// {"kind":"evaluation_title"} (the evaluation this document is) or
// {"kind":"responds_to"} (the evaluation it answers).
struct EvaluationTitleFact {
  bool responds_to = false;  // the kind: "responds_to" when true, else "evaluation_title"
  std::string title;         // "title" (required)
  std::string key;           // "key" (required): the title's first eight words, folded
  bool operator==(const EvaluationTitleFact&) const = default;
};

// {"kind":"relation"}: one body funds, implements, leads or is a member of another.
struct RelationFact {
  RelationType type = RelationType::kFunds;  // "type" (required)
  std::string source, target;                // "source", "target" (required): entity names
  uint32_t page = 0;                         // "page"
  uint64_t start = 0, end = 0;               // "start", "end"
  std::string text;                          // "text": the sentence
  bool operator==(const RelationFact&) const = default;
};

// {"kind":"structure"}: the document's structure model and what the items
// pass took from it. Its schema is large (schemas/structure.schema.json) and
// the host only stores it and serves it as is, so it stays an opaque JSON
// object here: `body` is the fact without its "kind" field. The codec checks
// only that it is an object.
struct StructureFact {
  nlohmann::json body = nlohmann::json::object();
  bool operator==(const StructureFact&) const = default;
};

using Fact = std::variant<EntityFact, ItemFact, DateFact, DocumentDateFact, EvaluationTitleFact, RelationFact,
                          StructureFact>;

// The fact's "kind" as written on the wire ("entity", "responds_to", …).
std::string_view FactKind(const Fact& fact);

// ---------------------------------------------------------------- the codec

// The JSON text of a fact, in the grammar above.
std::string EncodeFact(const Fact& fact);
// The same as a JSON value (EncodeFact is its dump()).
nlohmann::json FactToJson(const Fact& fact);
// The JSON forms of the parts an item carries, as they appear inside it
// (the graph and the query service copy them into their records).
nlohmann::json ToJson(const Mention& mention);
nlohmann::json ToJson(const ManagementResponse& response);
nlohmann::json ToJson(const KeyAction& action);

// Reads one fact. InvalidArgument, naming the kind and the field, for text
// that is not a JSON object, a missing or unknown "kind", a missing required
// field, or a field of the wrong type or value, e.g.
// `item fact: field "page": expected a non-negative integer, got string`.
// Fields the grammar does not know are ignored.
Result<Fact> DecodeFact(std::string_view json);
// The same from a parsed JSON value.
Result<Fact> DecodeFactJson(const nlohmann::json& json);

// Whether `status` is the error DecodeFact gives for a well-formed object of
// a kind it does not know (Unimplemented: another extractor's facts, which
// the host keeps as sent and its readers skip).
bool IsUnknownFactKind(const Status& status);

// Every fact of `texts` that decodes, in order; the others are skipped.
std::vector<Fact> DecodeFacts(const std::vector<std::string>& texts);

}  // namespace dossier
