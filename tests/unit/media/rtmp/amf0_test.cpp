#include "media/rtmp/amf0.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "unit/media/rtmp/rtmp_test_support.hpp"

namespace ls::rtmp::amf0 {
namespace {

using test::Bytes;
using test::hex;

Value decodeOne(const Bytes& bytes) {
  Decoder decoder(bytes);
  Result<Value> v = decoder.next();
  EXPECT_TRUE(v.ok()) << v.status().message();
  EXPECT_TRUE(decoder.atEnd());
  return v.ok() ? *v : Value::undefined();
}

Bytes encoded(const Value& v) {
  Bytes out;
  encode(v, out);
  return out;
}

TEST(Amf0, DecodesScalars) {
  EXPECT_EQ(decodeOne(hex("00 3ff0000000000000")), Value::number(1.0));
  EXPECT_EQ(decodeOne(hex("00 c059000000000000")).asNumber(), -100.0);
  EXPECT_TRUE(decodeOne(hex("01 01")).asBoolean());
  EXPECT_FALSE(decodeOne(hex("01 00")).asBoolean());
  EXPECT_EQ(decodeOne(hex("02 0004 6c697665")).asString(), "live");
  const Value longString = decodeOne(hex("0c 00000003 616263"));
  EXPECT_EQ(longString.type(), Type::kLongString);
  EXPECT_TRUE(longString.isString());
  EXPECT_EQ(longString.asString(), "abc");
  EXPECT_TRUE(decodeOne(hex("05")).isNull());
  EXPECT_TRUE(decodeOne(hex("06")).isUndefined());
  EXPECT_EQ(decodeOne(hex("09")).type(), Type::kObjectEnd);
  const Value date = decodeOne(hex("0b 4276f5e66e800000 0000"));
  EXPECT_EQ(date.type(), Type::kDate);
  EXPECT_EQ(date.asNumber(), 1577836800000.0);
}

TEST(Amf0, ObjectsKeepWireOrderAndDuplicates) {
  const Bytes bytes = test::amfObj({{"b", test::amfNum(2)}, {"a", test::amfStr("x")}, {"b", test::amfNum(3)}});
  const Value v = decodeOne(bytes);
  ASSERT_EQ(v.type(), Type::kObject);
  ASSERT_EQ(v.properties().size(), 3u);
  EXPECT_EQ(v.properties()[0].key, "b");
  EXPECT_EQ(v.properties()[1].key, "a");
  EXPECT_EQ(v.findNumber("b"), 2.0);  // the first one wins
  EXPECT_EQ(v.findString("a"), "x");
  EXPECT_EQ(v.findString("b"), std::nullopt);  // not a string
  EXPECT_EQ(v.find("missing"), nullptr);
  EXPECT_EQ(encoded(v), bytes);
}

TEST(Amf0, EcmaArrayCountIsAdvisory) {
  // Count says 5, but the end marker closes the list after one property.
  const Bytes bytes = test::concat({hex("08 00000005"), test::amfKey("width"), test::amfNum(1280), hex("000009")});
  const Value v = decodeOne(bytes);
  ASSERT_EQ(v.type(), Type::kEcmaArray);
  EXPECT_TRUE(v.isObject());
  EXPECT_EQ(v.findNumber("width"), 1280.0);
  // Re-encoded with the true count.
  EXPECT_EQ(encoded(v), test::concat({hex("08 00000001"), test::amfKey("width"), test::amfNum(1280), hex("000009")}));
}

TEST(Amf0, StrictArrayAndNesting) {
  const Bytes bytes = test::concat({hex("0a 00000002"), test::amfNum(1), test::amfObj({{"k", test::amfBool(true)}})});
  const Value v = decodeOne(bytes);
  ASSERT_TRUE(v.isStrictArray());
  ASSERT_EQ(v.items().size(), 2u);
  EXPECT_EQ(v.items()[1].find("k")->asBoolean(), true);
  EXPECT_EQ(encoded(v), bytes);
}

TEST(Amf0, RoundTripsEveryType) {
  Value object = Value::object();
  object.add("n", Value::number(-0.5))
      .add("nan", Value::number(std::numeric_limits<double>::quiet_NaN()))
      .add("s", Value::string("héllo"))
      .add("long", Value::longString("short but long form"))
      .add("t", Value::boolean(true))
      .add("null", Value::null())
      .add("undef", Value::undefined())
      .add("date", Value::date(1.5e12, 60))
      .add("arr", Value::strictArray({Value::number(1), Value::string("two")}))
      .add("ecma", Value::ecmaArray({{"x", Value::number(9)}}));
  const Bytes bytes = encoded(object);
  const Value back = decodeOne(bytes);
  EXPECT_EQ(back, object);
  EXPECT_TRUE(std::isnan(back.findNumber("nan").value()));
  EXPECT_EQ(back.find("date")->timezone(), 60);
  EXPECT_EQ(back.find("long")->type(), Type::kLongString);
  EXPECT_EQ(encoded(back), bytes);
}

TEST(Amf0, LongStringsSwitchToTheLongForm) {
  const std::string big(70000, 'x');
  Bytes out;
  writeString(out, big);
  EXPECT_EQ(out[0], 0x0C);
  EXPECT_EQ(Bytes(out.begin() + 1, out.begin() + 5), hex("00011170"));
  EXPECT_EQ(Value::string(big).type(), Type::kLongString);
  EXPECT_EQ(decodeOne(out).asString(), big);
}

TEST(Amf0, DecodeAllReadsASequence) {
  const Bytes bytes = test::concat({test::amfStr("connect"), test::amfNum(1), test::amfNull()});
  Result<std::vector<Value>> values = decodeAll(bytes);
  ASSERT_TRUE(values.ok());
  ASSERT_EQ(values->size(), 3u);
  EXPECT_EQ((*values)[0].asString(), "connect");
  EXPECT_EQ((*values)[1].asNumber(), 1.0);
  EXPECT_TRUE((*values)[2].isNull());
}

Status decodeError(const Bytes& bytes, Limits limits = {}) {
  Result<std::vector<Value>> r = decodeAll(bytes, limits);
  return r.ok() ? Status::ok() : r.status();
}

TEST(Amf0, MalformedInputIsAnError) {
  EXPECT_FALSE(decodeError(hex("00 3ff00000")).isOk());         // truncated number
  EXPECT_FALSE(decodeError(hex("01")).isOk());                  // truncated boolean
  EXPECT_FALSE(decodeError(hex("02 0005 6162")).isOk());        // string longer than the input
  EXPECT_FALSE(decodeError(hex("0c ffffffff 61")).isOk());      // long string longer than the input
  EXPECT_FALSE(decodeError(hex("03 0001 61 00 3ff0")).isOk());  // object cut inside a value
  EXPECT_FALSE(decodeError(hex("03 0001 61 05")).isOk());       // object without its end
  EXPECT_FALSE(decodeError(hex("0a 00000003 05 05")).isOk());   // strict array short of items
  EXPECT_FALSE(decodeError(hex("0a 7fffffff 05")).isOk());      // absurd count, no huge reserve
  EXPECT_FALSE(decodeError(hex("07 0001")).isOk());             // reference: unsupported
  EXPECT_FALSE(decodeError(hex("11 02")).isOk());               // AMF3 switch: unsupported
  EXPECT_FALSE(decodeError(hex("0b 0000")).isOk());             // truncated date
  EXPECT_TRUE(decodeError(hex("")).isOk());                     // nothing is an empty sequence
}

Bytes nestedObjects(int depth) {
  Bytes out;
  for (int i = 0; i < depth; ++i) out = test::concat({out, hex("03 0001 6b")});
  out = test::concat({out, test::amfNull()});
  for (int i = 0; i < depth; ++i) out = test::concat({out, hex("000009")});
  return out;
}

TEST(Amf0, LimitsBoundDepthStringsAndElements) {
  EXPECT_TRUE(decodeError(nestedObjects(16)).isOk());
  EXPECT_EQ(decodeError(nestedObjects(17)).code(), Code::kPayloadTooLarge);
  Limits shallow;
  shallow.maxDepth = 2;
  EXPECT_TRUE(decodeError(nestedObjects(2), shallow).isOk());
  EXPECT_FALSE(decodeError(nestedObjects(3), shallow).isOk());

  Limits shortStrings;
  shortStrings.maxStringLength = 3;
  EXPECT_TRUE(decodeError(test::amfStr("abc"), shortStrings).isOk());
  EXPECT_EQ(decodeError(test::amfStr("abcd"), shortStrings).code(), Code::kPayloadTooLarge);
  EXPECT_FALSE(decodeError(test::amfObj({{"long key", test::amfNull()}}), shortStrings).isOk());

  Limits fewElements;
  fewElements.maxElements = 3;
  EXPECT_TRUE(decodeError(test::concat({test::amfNull(), test::amfNull(), test::amfNull()}), fewElements).isOk());
  EXPECT_FALSE(
      decodeError(test::concat({test::amfNull(), test::amfNull(), test::amfNull(), test::amfNull()}), fewElements)
          .isOk());
  EXPECT_FALSE(decodeError(hex("0a 00000003 05 05 05"), fewElements).isOk());  // 1 array + 3 items
}

}  // namespace
}  // namespace ls::rtmp::amf0
