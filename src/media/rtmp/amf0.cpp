#include "media/rtmp/amf0.hpp"

#include <bit>
#include <utility>

#include "media/rtmp/byte_io.hpp"

namespace ls::rtmp::amf0 {
namespace {

constexpr std::size_t kMaxShortString = 0xFFFF;

Status malformed(std::string what) {
  return Status(Code::kInvalidArgument, "AMF0: " + std::move(what));
}

}  // namespace

// ---- Value ----

Value Value::number(double v) {
  Value out;
  out.type_ = Type::kNumber;
  out.number_ = v;
  return out;
}

Value Value::boolean(bool v) {
  Value out;
  out.type_ = Type::kBoolean;
  out.boolean_ = v;
  return out;
}

Value Value::string(std::string v) {
  Value out;
  out.type_ = v.size() > kMaxShortString ? Type::kLongString : Type::kString;
  out.string_ = std::move(v);
  return out;
}

Value Value::longString(std::string v) {
  Value out;
  out.type_ = Type::kLongString;
  out.string_ = std::move(v);
  return out;
}

Value Value::null() {
  return Value();
}

Value Value::undefined() {
  Value out;
  out.type_ = Type::kUndefined;
  return out;
}

Value Value::object() {
  return object(std::vector<Property>());
}
Value Value::ecmaArray() {
  return ecmaArray(std::vector<Property>());
}
Value Value::strictArray() {
  return strictArray(std::vector<Value>());
}

Value Value::object(std::vector<Property> properties) {
  Value out;
  out.type_ = Type::kObject;
  out.properties_ = std::move(properties);
  return out;
}

Value Value::ecmaArray(std::vector<Property> properties) {
  Value out = object(std::move(properties));
  out.type_ = Type::kEcmaArray;
  return out;
}

Value Value::strictArray(std::vector<Value> items) {
  Value out;
  out.type_ = Type::kStrictArray;
  out.items_ = std::move(items);
  return out;
}

Value Value::date(double millisSinceEpoch, std::int16_t timezone) {
  Value out;
  out.type_ = Type::kDate;
  out.number_ = millisSinceEpoch;
  out.timezone_ = timezone;
  return out;
}

Value Value::objectEnd() {
  Value out;
  out.type_ = Type::kObjectEnd;
  return out;
}

const std::vector<Property>& Value::properties() const noexcept {
  return properties_;
}

const Value* Value::find(std::string_view key) const {
  for (const Property& p : properties_) {
    if (p.key == key) return &p.value;
  }
  return nullptr;
}

std::optional<double> Value::findNumber(std::string_view key) const {
  const Value* v = find(key);
  if (v == nullptr || !v->isNumber()) return std::nullopt;
  return v->number_;
}

std::optional<std::string_view> Value::findString(std::string_view key) const {
  const Value* v = find(key);
  if (v == nullptr || !v->isString()) return std::nullopt;
  return std::string_view(v->string_);
}

Value& Value::add(std::string key, Value value) {
  if (isObject()) properties_.push_back(Property{std::move(key), std::move(value)});
  return *this;
}

bool Value::operator==(const Value& other) const {
  if (type_ != other.type_) return false;
  switch (type_) {
    case Type::kNumber: return std::bit_cast<std::uint64_t>(number_) == std::bit_cast<std::uint64_t>(other.number_);
    case Type::kBoolean: return boolean_ == other.boolean_;
    case Type::kString:
    case Type::kLongString: return string_ == other.string_;
    case Type::kObject:
    case Type::kEcmaArray: return properties_ == other.properties_;
    case Type::kStrictArray: return items_ == other.items_;
    case Type::kDate:
      return std::bit_cast<std::uint64_t>(number_) == std::bit_cast<std::uint64_t>(other.number_) &&
             timezone_ == other.timezone_;
    case Type::kNull:
    case Type::kUndefined:
    case Type::kObjectEnd: return true;
  }
  return false;
}

// ---- Decoder ----

Status Decoder::need(std::size_t n) const {
  if (in_.size() - pos_ < n) return malformed("truncated value at byte " + std::to_string(pos_));
  return Status::ok();
}

Status Decoder::countElement() {
  if (++elements_ > limits_.maxElements) {
    return Status(Code::kPayloadTooLarge, "AMF0: more than " + std::to_string(limits_.maxElements) + " values");
  }
  return Status::ok();
}

Result<std::string> Decoder::readUtf8(std::size_t lengthBytes) {
  LS_RETURN_IF_ERROR(need(lengthBytes));
  const std::size_t length = lengthBytes == 2 ? readBe16(in_.data() + pos_) : readBe32(in_.data() + pos_);
  pos_ += lengthBytes;
  if (length > limits_.maxStringLength) {
    return Status(Code::kPayloadTooLarge, "AMF0: string of " + std::to_string(length) + " bytes over the limit");
  }
  LS_RETURN_IF_ERROR(need(length));
  std::string s(reinterpret_cast<const char*>(in_.data() + pos_), length);
  pos_ += length;
  return s;
}

Status Decoder::readProperties(std::vector<Property>& out, std::size_t depth) {
  while (true) {
    // An empty key followed by the object-end marker closes the list.
    LS_RETURN_IF_ERROR(need(2));
    if (readBe16(in_.data() + pos_) == 0 && pos_ + 2 < in_.size() &&
        in_[pos_ + 2] == static_cast<std::uint8_t>(Type::kObjectEnd)) {
      pos_ += 3;
      return Status::ok();
    }
    Result<std::string> key = readUtf8(2);
    if (!key.ok()) return key.status();
    Result<Value> value = readValue(depth);
    if (!value.ok()) return value.status();
    out.push_back(Property{std::move(*key), std::move(*value)});
  }
}

Result<Value> Decoder::next() {
  if (atEnd()) return malformed("no more values");
  return readValue(0);
}

Result<Value> Decoder::readValue(std::size_t depth) {
  LS_RETURN_IF_ERROR(need(1));
  LS_RETURN_IF_ERROR(countElement());
  const std::uint8_t marker = in_[pos_++];
  const bool container = marker == static_cast<std::uint8_t>(Type::kObject) ||
                         marker == static_cast<std::uint8_t>(Type::kEcmaArray) ||
                         marker == static_cast<std::uint8_t>(Type::kStrictArray);
  if (container && depth >= limits_.maxDepth) {
    return Status(Code::kPayloadTooLarge, "AMF0: nesting deeper than " + std::to_string(limits_.maxDepth));
  }
  switch (static_cast<Type>(marker)) {
    case Type::kNumber: {
      LS_RETURN_IF_ERROR(need(8));
      const double v = std::bit_cast<double>(readBe64(in_.data() + pos_));
      pos_ += 8;
      return Value::number(v);
    }
    case Type::kBoolean: {
      LS_RETURN_IF_ERROR(need(1));
      return Value::boolean(in_[pos_++] != 0);
    }
    case Type::kString:
    case Type::kLongString: {
      Result<std::string> s = readUtf8(marker == static_cast<std::uint8_t>(Type::kString) ? 2 : 4);
      if (!s.ok()) return s.status();
      // Keep the wire type so that re-encoding is byte-exact.
      return marker == static_cast<std::uint8_t>(Type::kString) ? Value::string(std::move(*s))
                                                                : Value::longString(std::move(*s));
    }
    case Type::kNull: return Value::null();
    case Type::kUndefined: return Value::undefined();
    case Type::kObjectEnd: return Value::objectEnd();
    case Type::kObject:
    case Type::kEcmaArray: {
      if (marker == static_cast<std::uint8_t>(Type::kEcmaArray)) {
        // The count is advisory (encoders get it wrong); the end marker rules.
        LS_RETURN_IF_ERROR(need(4));
        pos_ += 4;
      }
      std::vector<Property> properties;
      LS_RETURN_IF_ERROR(readProperties(properties, depth + 1));
      return marker == static_cast<std::uint8_t>(Type::kObject) ? Value::object(std::move(properties))
                                                                : Value::ecmaArray(std::move(properties));
    }
    case Type::kStrictArray: {
      LS_RETURN_IF_ERROR(need(4));
      const std::uint32_t count = readBe32(in_.data() + pos_);
      pos_ += 4;
      // Every item takes at least one byte: refuse counts the input cannot hold.
      if (count > in_.size() - pos_ || count > limits_.maxElements - elements_) {
        return malformed("strict array of " + std::to_string(count) + " items does not fit");
      }
      std::vector<Value> items;
      items.reserve(count);
      for (std::uint32_t i = 0; i < count; ++i) {
        Result<Value> item = readValue(depth + 1);
        if (!item.ok()) return item.status();
        items.push_back(std::move(*item));
      }
      return Value::strictArray(std::move(items));
    }
    case Type::kDate: {
      LS_RETURN_IF_ERROR(need(10));
      const double ms = std::bit_cast<double>(readBe64(in_.data() + pos_));
      const auto tz = static_cast<std::int16_t>(readBe16(in_.data() + pos_ + 8));
      pos_ += 10;
      return Value::date(ms, tz);
    }
  }
  return malformed("unsupported type marker " + std::to_string(marker) + " at byte " + std::to_string(pos_ - 1));
}

Result<std::vector<Value>> decodeAll(std::span<const std::uint8_t> in, const Limits& limits) {
  Decoder decoder(in, limits);
  std::vector<Value> values;
  while (!decoder.atEnd()) {
    Result<Value> v = decoder.next();
    if (!v.ok()) return v.status();
    values.push_back(std::move(*v));
  }
  return values;
}

// ---- Encoder ----

void writeNumber(std::vector<std::uint8_t>& out, double v) {
  putU8(out, static_cast<std::uint8_t>(Type::kNumber));
  putBe64(out, std::bit_cast<std::uint64_t>(v));
}

void writeBoolean(std::vector<std::uint8_t>& out, bool v) {
  putU8(out, static_cast<std::uint8_t>(Type::kBoolean));
  putU8(out, v ? 1 : 0);
}

namespace {
void writeStringAs(std::vector<std::uint8_t>& out, std::string_view v, bool longForm) {
  putU8(out, static_cast<std::uint8_t>(longForm ? Type::kLongString : Type::kString));
  if (longForm) {
    putBe32(out, static_cast<std::uint32_t>(v.size()));
  } else {
    putBe16(out, static_cast<std::uint32_t>(v.size()));
  }
  out.insert(out.end(), v.begin(), v.end());
}
}  // namespace

void writeString(std::vector<std::uint8_t>& out, std::string_view v) {
  writeStringAs(out, v, v.size() > kMaxShortString);
}

void writeNull(std::vector<std::uint8_t>& out) {
  putU8(out, static_cast<std::uint8_t>(Type::kNull));
}
void writeUndefined(std::vector<std::uint8_t>& out) {
  putU8(out, static_cast<std::uint8_t>(Type::kUndefined));
}
void writeObjectStart(std::vector<std::uint8_t>& out) {
  putU8(out, static_cast<std::uint8_t>(Type::kObject));
}

void writeEcmaArrayStart(std::vector<std::uint8_t>& out, std::uint32_t count) {
  putU8(out, static_cast<std::uint8_t>(Type::kEcmaArray));
  putBe32(out, count);
}

void writeKey(std::vector<std::uint8_t>& out, std::string_view key) {
  if (key.size() > kMaxShortString) key = key.substr(0, kMaxShortString);
  putBe16(out, static_cast<std::uint32_t>(key.size()));
  out.insert(out.end(), key.begin(), key.end());
}

void writeObjectEnd(std::vector<std::uint8_t>& out) {
  putBe16(out, 0);
  putU8(out, static_cast<std::uint8_t>(Type::kObjectEnd));
}

void encode(const Value& value, std::vector<std::uint8_t>& out) {
  switch (value.type()) {
    case Type::kNumber: writeNumber(out, value.asNumber()); return;
    case Type::kBoolean: writeBoolean(out, value.asBoolean()); return;
    case Type::kString:
    case Type::kLongString:
      writeStringAs(out, value.asString(),
                    value.type() == Type::kLongString || value.asString().size() > kMaxShortString);
      return;
    case Type::kNull: writeNull(out); return;
    case Type::kUndefined: writeUndefined(out); return;
    case Type::kObjectEnd: putU8(out, static_cast<std::uint8_t>(Type::kObjectEnd)); return;
    case Type::kObject:
    case Type::kEcmaArray:
      if (value.type() == Type::kObject) {
        writeObjectStart(out);
      } else {
        writeEcmaArrayStart(out, static_cast<std::uint32_t>(value.properties().size()));
      }
      for (const Property& p : value.properties()) {
        writeKey(out, p.key);
        encode(p.value, out);
      }
      writeObjectEnd(out);
      return;
    case Type::kStrictArray:
      putU8(out, static_cast<std::uint8_t>(Type::kStrictArray));
      putBe32(out, static_cast<std::uint32_t>(value.items().size()));
      for (const Value& item : value.items()) encode(item, out);
      return;
    case Type::kDate:
      putU8(out, static_cast<std::uint8_t>(Type::kDate));
      putBe64(out, std::bit_cast<std::uint64_t>(value.asNumber()));
      putBe16(out, static_cast<std::uint16_t>(value.timezone()));
      return;
  }
}

}  // namespace ls::rtmp::amf0
