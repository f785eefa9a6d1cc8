// A scripted RTMP publisher for tests and fuzz seeds: the byte streams
// FFmpeg/OBS/GStreamer-style clients send, built message by message.
#pragma once

#include <initializer_list>

#include "media/rtmp/chunk_encoder.hpp"
#include "media/rtmp/messages.hpp"
#include "unit/media/rtmp/rtmp_test_support.hpp"

namespace ls::rtmp::test {

class ClientScript {
 public:
  // C0 + a plain C1 (time 0, zero version, pattern body).
  static Bytes c0c1() { return concat({{0x03}, Bytes(8, 0), pattern(1528, 17)}); }
  static Bytes c2() { return pattern(1536, 99); }

  // Set Chunk Size from the client; later messages use the new size.
  Bytes setChunkSize(std::uint32_t size) {
    Bytes out;
    encoder_.write({2, message_type::kSetChunkSize, 0, 0}, be(size, 4), out);
    encoder_.setChunkSize(size);
    return out;
  }

  Bytes message(std::uint8_t type, std::uint32_t csid, std::uint32_t msid, std::uint32_t timestamp,
                const Bytes& payload) {
    Bytes out;
    encoder_.write({csid, type, timestamp, msid}, payload, out);
    return out;
  }

  // An AMF0 command: name, transaction id, then the given values (command object first).
  Bytes command(std::string_view name, double tx, std::initializer_list<Bytes> rest, std::uint32_t msid = 0) {
    Bytes payload = concat({amfStr(name), amfNum(tx)});
    for (const Bytes& v : rest) payload = concat({payload, v});
    return message(message_type::kCommandAmf0, msid == 0 ? 3 : 8, msid, 0, payload);
  }

  Bytes connect(std::string_view app, std::string_view tcUrl) {
    return command("connect", 1,
                   {amfObj({{"app", amfStr(app)},
                            {"type", amfStr("nonprivate")},
                            {"flashVer", amfStr("FMLE/3.0 (compatible; Lavf60.3.100)")},
                            {"tcUrl", amfStr(tcUrl)}})});
  }

  Bytes video(std::uint32_t timestamp, const Bytes& payload, std::uint32_t msid = 1) {
    return message(message_type::kVideo, 6, msid, timestamp, payload);
  }
  Bytes audio(std::uint32_t timestamp, const Bytes& payload, std::uint32_t msid = 1) {
    return message(message_type::kAudio, 4, msid, timestamp, payload);
  }
  Bytes metadata(std::uint32_t msid = 1) {
    return message(message_type::kDataAmf0, 4, msid, 0,
                   concat({amfStr("@setDataFrame"), amfStr("onMetaData"),
                           amfEcma({{"width", amfNum(1280)},
                                    {"height", amfNum(720)},
                                    {"framerate", amfNum(30)},
                                    {"videodatarate", amfNum(2500)},
                                    {"audiodatarate", amfNum(128)}})}));
  }

  // The whole FFmpeg publish flow up to (and including) publish.
  Bytes ffmpegUpToPublish(std::string_view streamName) {
    return concat({c0c1(), c2(), setChunkSize(4096), connect("live", "rtmp://localhost:1935/live"),
                   command("releaseStream", 2, {amfNull(), amfStr(streamName)}),
                   command("FCPublish", 3, {amfNull(), amfStr(streamName)}), command("createStream", 4, {amfNull()}),
                   command("_checkbw", 5, {amfNull()}),
                   command("publish", 6, {amfNull(), amfStr(streamName), amfStr("live")}, 1)});
  }

 private:
  ChunkEncoder encoder_;
};

}  // namespace ls::rtmp::test
