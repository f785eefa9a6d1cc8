#include "media/fmp4/init_segment.hpp"

#include <array>

#include "media/fmp4/box_writer.hpp"
#include "media/fmp4/codec_config.hpp"

namespace ls::fmp4 {
namespace {

using detail::BoxWriter;

constexpr std::uint32_t kMovieTimescale = 1000;
constexpr std::uint16_t kLanguageUnd = 0x55c4;  // ISO 639-2 "und", 5 bits per letter
constexpr std::uint32_t kFixedOne = 0x00010000;  // 16.16
constexpr std::uint32_t kTrackEnabledInMovie = 0x000003;
constexpr std::uint32_t kSelfContained = 0x000001;  // dref entry: media in this file
// Unity matrix { 1, 0, 0, 0, 1, 0, 0, 0, 1 } with u, v, w in 2.30.
constexpr std::array<std::uint32_t, 9> kUnityMatrix = {kFixedOne, 0, 0, 0, kFixedOne, 0, 0, 0, 0x40000000};

void matrix(BoxWriter& w) {
  for (const std::uint32_t v : kUnityMatrix) w.u32(v);
}

void ftyp(BoxWriter& w) {
  const std::size_t box = w.begin("ftyp");
  w.fourcc("iso6");  // major brand
  w.u32(0);          // minor version
  w.fourcc("iso6");
  w.fourcc("cmfc");
  w.fourcc("isom");
  w.fourcc("mp41");
  w.end(box);
}

void mvhd(BoxWriter& w, std::uint32_t nextTrackId) {
  const std::size_t box = w.beginFull("mvhd", 0, 0);
  w.u32(0);  // creation_time
  w.u32(0);  // modification_time
  w.u32(kMovieTimescale);
  w.u32(0);  // duration: unknown (fragmented)
  w.u32(kFixedOne);  // rate 1.0
  w.u16(0x0100);     // volume 1.0
  w.zeros(2 + 8);    // reserved
  matrix(w);
  w.zeros(6 * 4);  // pre_defined
  w.u32(nextTrackId);
  w.end(box);
}

void tkhd(BoxWriter& w, std::uint32_t trackId, bool audio, std::uint32_t width, std::uint32_t height) {
  const std::size_t box = w.beginFull("tkhd", 0, kTrackEnabledInMovie);
  w.u32(0);  // creation_time
  w.u32(0);  // modification_time
  w.u32(trackId);
  w.u32(0);  // reserved
  w.u32(0);  // duration
  w.zeros(8);  // reserved
  w.u16(0);    // layer
  w.u16(0);    // alternate_group
  w.u16(audio ? 0x0100 : 0);  // volume
  w.u16(0);                   // reserved
  matrix(w);
  w.u32((width & 0xffff) << 16);  // 16.16
  w.u32((height & 0xffff) << 16);
  w.end(box);
}

void mdhd(BoxWriter& w, std::uint32_t timescale) {
  const std::size_t box = w.beginFull("mdhd", 0, 0);
  w.u32(0);  // creation_time
  w.u32(0);  // modification_time
  w.u32(timescale);
  w.u32(0);  // duration
  w.u16(kLanguageUnd);
  w.u16(0);  // pre_defined
  w.end(box);
}

void hdlr(BoxWriter& w, bool audio) {
  const std::size_t box = w.beginFull("hdlr", 0, 0);
  w.u32(0);  // pre_defined
  if (audio) {
    w.fourcc("soun");
  } else {
    w.fourcc("vide");
  }
  w.zeros(3 * 4);  // reserved
  static constexpr std::array<std::uint8_t, 13> kVideoName = {'V', 'i', 'd', 'e', 'o', 'H', 'a', 'n', 'd', 'l', 'e', 'r', 0};
  static constexpr std::array<std::uint8_t, 13> kSoundName = {'S', 'o', 'u', 'n', 'd', 'H', 'a', 'n', 'd', 'l', 'e', 'r', 0};
  w.bytes(audio ? kSoundName : kVideoName);
  w.end(box);
}

void dinf(BoxWriter& w) {
  const std::size_t box = w.begin("dinf");
  const std::size_t dref = w.beginFull("dref", 0, 0);
  w.u32(1);  // entry_count
  const std::size_t url = w.beginFull("url ", 0, kSelfContained);
  w.end(url);
  w.end(dref);
  w.end(box);
}

void avcC(BoxWriter& w, const media::VideoConfig& config) {
  const std::vector<std::uint8_t>& sps = config.sps.front();
  const bool fromSps = config.profileIdc == 0;
  const std::size_t box = w.begin("avcC");
  w.u8(1);  // configurationVersion
  w.u8(fromSps ? sps[1] : config.profileIdc);
  w.u8(fromSps ? sps[2] : config.constraintFlags);
  w.u8(fromSps ? sps[3] : config.levelIdc);
  w.u8(0xfc | 3);  // reserved 111111, lengthSizeMinusOne 3: frames are written with 4-byte lengths
  w.u8(0xe0 | static_cast<std::uint32_t>(config.sps.size()));  // reserved 111, numOfSequenceParameterSets
  for (const auto& set : config.sps) {
    w.u16(static_cast<std::uint32_t>(set.size()));
    w.bytes(set);
  }
  w.u8(static_cast<std::uint32_t>(config.pps.size()));
  for (const auto& set : config.pps) {
    w.u16(static_cast<std::uint32_t>(set.size()));
    w.bytes(set);
  }
  w.end(box);
}

void avc1(BoxWriter& w, const media::VideoConfig& config) {
  const std::size_t box = w.begin("avc1");
  w.zeros(6);  // SampleEntry reserved
  w.u16(1);    // data_reference_index
  w.u16(0);    // pre_defined
  w.u16(0);    // reserved
  w.zeros(3 * 4);  // pre_defined
  w.u16(config.width & 0xffff);
  w.u16(config.height & 0xffff);
  w.u32(0x00480000);  // horizresolution 72 dpi
  w.u32(0x00480000);  // vertresolution
  w.u32(0);           // reserved
  w.u16(1);           // frame_count
  w.zeros(32);        // compressorname (empty Pascal string)
  w.u16(0x0018);      // depth
  w.u16(0xffff);      // pre_defined -1
  avcC(w, config);
  w.end(box);
}

// ISO/IEC 14496-1 descriptor header with a one-byte size (every descriptor here is < 128 bytes).
void descriptor(BoxWriter& w, std::uint8_t tag, std::size_t size) {
  w.u8(tag);
  w.u8(static_cast<std::uint32_t>(size));
}

void esds(BoxWriter& w, const media::AudioConfig& config) {
  const std::vector<std::uint8_t> asc = detail::audioSpecificConfig(config);
  constexpr std::size_t kDecoderConfigFixed = 13;
  const std::size_t decoderSpecific = 2 + asc.size();
  const std::size_t decoderConfig = 2 + kDecoderConfigFixed + decoderSpecific;
  const std::size_t slConfig = 2 + 1;
  const std::size_t box = w.beginFull("esds", 0, 0);
  descriptor(w, 0x03, 3 + decoderConfig + slConfig);  // ES_Descriptor
  w.u16(kAudioTrackId);                                // ES_ID
  w.u8(0);  // no stream dependence, URL or OCR stream; priority 0
  descriptor(w, 0x04, kDecoderConfigFixed + decoderSpecific);  // DecoderConfigDescriptor
  w.u8(0x40);                 // objectTypeIndication: MPEG-4 Audio (ISO/IEC 14496-3)
  w.u8((0x05 << 2) | 0x01);   // streamType audio, upStream 0, reserved 1
  w.u24(0);                   // bufferSizeDB
  w.u32(0);                   // maxBitrate
  w.u32(0);                   // avgBitrate
  descriptor(w, 0x05, asc.size());  // DecoderSpecificInfo: the AudioSpecificConfig
  w.bytes(asc);
  descriptor(w, 0x06, 1);  // SLConfigDescriptor
  w.u8(0x02);              // predefined: reserved for use in MP4 files
  w.end(box);
}

void mp4a(BoxWriter& w, const media::AudioConfig& config) {
  const std::size_t box = w.begin("mp4a");
  w.zeros(6);  // SampleEntry reserved
  w.u16(1);    // data_reference_index
  w.zeros(2 * 4);  // reserved
  w.u16(detail::channelCount(config));
  w.u16(16);  // samplesize
  w.u16(0);   // pre_defined
  w.u16(0);   // reserved
  // 16.16 sample rate; rates above 65535 do not fit (the esds and mdhd carry them).
  w.u32(config.sampleRate <= 0xffff ? config.sampleRate << 16 : 0);
  esds(w, config);
  w.end(box);
}

void emptyTable(BoxWriter& w, const char (&type)[5]) {
  const std::size_t box = w.beginFull(type, 0, 0);
  w.u32(0);  // entry_count
  w.end(box);
}

void stbl(BoxWriter& w, const media::VideoConfig* video, const media::AudioConfig* audio) {
  const std::size_t box = w.begin("stbl");
  const std::size_t stsd = w.beginFull("stsd", 0, 0);
  w.u32(1);  // entry_count
  if (video != nullptr) avc1(w, *video);
  if (audio != nullptr) mp4a(w, *audio);
  w.end(stsd);
  emptyTable(w, "stts");
  emptyTable(w, "stsc");
  const std::size_t stsz = w.beginFull("stsz", 0, 0);
  w.u32(0);  // sample_size
  w.u32(0);  // sample_count
  w.end(stsz);
  emptyTable(w, "stco");
  w.end(box);
}

// One trak; exactly one of video / audio is set.
void trak(BoxWriter& w, const media::VideoConfig* video, const media::AudioConfig* audio) {
  const bool isAudio = audio != nullptr;
  const std::size_t box = w.begin("trak");
  tkhd(w, isAudio ? kAudioTrackId : kVideoTrackId, isAudio, isAudio ? 0 : video->width, isAudio ? 0 : video->height);
  const std::size_t mdia = w.begin("mdia");
  mdhd(w, isAudio ? audio->sampleRate : kVideoTimescale);
  hdlr(w, isAudio);
  const std::size_t minf = w.begin("minf");
  if (isAudio) {
    const std::size_t smhd = w.beginFull("smhd", 0, 0);
    w.u16(0);  // balance
    w.u16(0);  // reserved
    w.end(smhd);
  } else {
    const std::size_t vmhd = w.beginFull("vmhd", 0, 1);
    w.u16(0);        // graphicsmode: copy
    w.zeros(3 * 2);  // opcolor
    w.end(vmhd);
  }
  dinf(w);
  stbl(w, video, audio);
  w.end(minf);
  w.end(mdia);
  w.end(box);
}

void trex(BoxWriter& w, std::uint32_t trackId) {
  const std::size_t box = w.beginFull("trex", 0, 0);
  w.u32(trackId);
  w.u32(1);  // default_sample_description_index
  w.u32(0);  // default_sample_duration
  w.u32(0);  // default_sample_size
  w.u32(0);  // default_sample_flags
  w.end(box);
}

}  // namespace

Result<Bytes> writeInitSegment(const media::VideoConfig* video, const media::AudioConfig* audio) {
  if (video == nullptr && audio == nullptr) return invalidArgument("an init segment needs at least one track");
  if (video != nullptr) LS_RETURN_IF_ERROR(detail::checkVideoConfig(*video));
  if (audio != nullptr) LS_RETURN_IF_ERROR(detail::checkAudioConfig(*audio));

  Bytes out;
  out.reserve(1024);
  BoxWriter w(out);
  ftyp(w);
  const std::size_t moov = w.begin("moov");
  mvhd(w, kAudioTrackId + 1);
  if (video != nullptr) trak(w, video, nullptr);
  if (audio != nullptr) trak(w, nullptr, audio);
  const std::size_t mvex = w.begin("mvex");
  if (video != nullptr) trex(w, kVideoTrackId);
  if (audio != nullptr) trex(w, kAudioTrackId);
  w.end(mvex);
  w.end(moov);
  return out;
}

}  // namespace ls::fmp4
