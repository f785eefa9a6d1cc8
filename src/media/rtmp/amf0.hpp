// AMF0 (Action Message Format 0, Adobe's AMF0 specification), the encoding of
// RTMP command and data messages. Values keep object properties in wire
// order (onMetaData and connect objects are ordered lists, and keys may
// repeat). Decoding is bounded by Limits; malformed input is an error value,
// never a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace ls::rtmp::amf0 {

// The type markers this module reads and writes. Reference, typed object,
// XML document and the AMF3 switch do not occur in publish flows and are
// rejected.
enum class Type : std::uint8_t {
  kNumber = 0x00,
  kBoolean = 0x01,
  kString = 0x02,
  kObject = 0x03,
  kNull = 0x05,
  kUndefined = 0x06,
  kEcmaArray = 0x08,
  kObjectEnd = 0x09,
  kStrictArray = 0x0A,
  kDate = 0x0B,
  kLongString = 0x0C,
};

struct Property;

class Value {
 public:
  Value() = default;  // null

  static Value number(double v);
  static Value boolean(bool v);
  // A string; becomes a long string when it does not fit 16 bits of length.
  static Value string(std::string v);
  // A string written with the 32-bit length form whatever its size.
  static Value longString(std::string v);
  static Value null();
  static Value undefined();
  // (Overloads rather than default arguments: Property is incomplete here.)
  static Value object();
  static Value object(std::vector<Property> properties);
  static Value ecmaArray();
  static Value ecmaArray(std::vector<Property> properties);
  static Value strictArray();
  static Value strictArray(std::vector<Value> items);
  static Value date(double millisSinceEpoch, std::int16_t timezone = 0);
  static Value objectEnd();

  [[nodiscard]] Type type() const noexcept { return type_; }
  [[nodiscard]] bool isNumber() const noexcept { return type_ == Type::kNumber; }
  [[nodiscard]] bool isBoolean() const noexcept { return type_ == Type::kBoolean; }
  [[nodiscard]] bool isString() const noexcept { return type_ == Type::kString || type_ == Type::kLongString; }
  [[nodiscard]] bool isNull() const noexcept { return type_ == Type::kNull; }
  [[nodiscard]] bool isUndefined() const noexcept { return type_ == Type::kUndefined; }
  // An anonymous object or an ECMA array: both are key/value lists.
  [[nodiscard]] bool isObject() const noexcept { return type_ == Type::kObject || type_ == Type::kEcmaArray; }
  [[nodiscard]] bool isStrictArray() const noexcept { return type_ == Type::kStrictArray; }

  // Number and date value (milliseconds for a date); 0 for other types.
  [[nodiscard]] double asNumber() const noexcept { return number_; }
  [[nodiscard]] bool asBoolean() const noexcept { return boolean_; }
  // String content; empty for other types.
  [[nodiscard]] const std::string& asString() const noexcept { return string_; }
  [[nodiscard]] std::int16_t timezone() const noexcept { return timezone_; }
  // Properties of an object or ECMA array, in wire order; empty otherwise.
  [[nodiscard]] const std::vector<Property>& properties() const noexcept;
  [[nodiscard]] const std::vector<Value>& items() const noexcept { return items_; }

  // The first property named `key` of an object or ECMA array.
  [[nodiscard]] const Value* find(std::string_view key) const;
  [[nodiscard]] std::optional<double> findNumber(std::string_view key) const;
  [[nodiscard]] std::optional<std::string_view> findString(std::string_view key) const;
  // Appends a property (objects and ECMA arrays only; ignored otherwise).
  Value& add(std::string key, Value value);

  bool operator==(const Value& other) const;

 private:
  Type type_ = Type::kNull;
  bool boolean_ = false;
  std::int16_t timezone_ = 0;
  double number_ = 0;
  std::string string_;
  std::vector<Property> properties_;
  std::vector<Value> items_;
};

struct Property {
  std::string key;
  Value value;
  bool operator==(const Property& other) const = default;
};

struct Limits {
  std::size_t maxDepth = 16;              // nested objects/arrays
  std::size_t maxStringLength = 1 << 20;  // bytes of one string or long string
  std::size_t maxElements = 64 * 1024;    // values (nested ones included) per Decoder
};

// Reads consecutive values from one buffer (a command message is a sequence
// of values). The element budget of Limits spans all values of a Decoder.
class Decoder {
 public:
  explicit Decoder(std::span<const std::uint8_t> in, Limits limits = {}) : in_(in), limits_(limits) {}

  [[nodiscard]] bool atEnd() const noexcept { return pos_ >= in_.size(); }
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }
  Result<Value> next();

 private:
  Result<Value> readValue(std::size_t depth);
  Status readProperties(std::vector<Property>& out, std::size_t depth);
  Result<std::string> readUtf8(std::size_t lengthBytes);
  Status need(std::size_t n) const;
  Status countElement();

  std::span<const std::uint8_t> in_;
  Limits limits_;
  std::size_t pos_ = 0;
  std::size_t elements_ = 0;
};

// Decodes every value of `in`.
Result<std::vector<Value>> decodeAll(std::span<const std::uint8_t> in, const Limits& limits = {});

void encode(const Value& value, std::vector<std::uint8_t>& out);

// Writers for building messages without a Value tree.
void writeNumber(std::vector<std::uint8_t>& out, double v);
void writeBoolean(std::vector<std::uint8_t>& out, bool v);
void writeString(std::vector<std::uint8_t>& out, std::string_view v);  // long string when needed
void writeNull(std::vector<std::uint8_t>& out);
void writeUndefined(std::vector<std::uint8_t>& out);
void writeObjectStart(std::vector<std::uint8_t>& out);
void writeEcmaArrayStart(std::vector<std::uint8_t>& out, std::uint32_t count);
void writeKey(std::vector<std::uint8_t>& out, std::string_view key);  // property name (keys are <= 65535 bytes)
void writeObjectEnd(std::vector<std::uint8_t>& out);                  // ends an object or ECMA array

}  // namespace ls::rtmp::amf0
