#include "media/hls/steering.hpp"

#include <cstdio>

namespace ls::hls {

namespace {

std::string joinBase(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string out(base);
  out += '/';
  out += path;
  return out;
}

// A JSON string: quotes, backslashes and control characters escaped.
void appendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
}

// A quoted-string attribute value (RFC 8216 §4.2) may hold neither '"' nor
// CR/LF; names and URLs that did would break the playlist, so they are dropped.
std::string quotedAttr(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c != '"' && c != '\r' && c != '\n') out += c;
  }
  return out;
}

// STABLE-VARIANT-ID (§4.4.6.2): the same for a variant on every pathway, so a
// player that changes pathway keeps its variant. From the variant's URI
// relative to the master ("720p/index.m3u8"), restricted to the characters
// the attribute allows.
std::string stableVariantId(std::string_view uri) {
  std::string out;
  out.reserve(uri.size());
  for (const char c : uri) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
                         c == '/' || c == '=' || c == '.' || c == '-' || c == '_';
    out += allowed ? c : '_';
  }
  return out;
}

bool isAbsolute(std::string_view uri) { return uri.starts_with("http://") || uri.starts_with("https://"); }

}  // namespace

std::string streamDir(std::string_view streamKey) {
  std::string out("hls/");
  out.append(streamKey).push_back('/');
  return out;
}

std::string steeringManifestPath(std::string_view streamKey) { return streamDir(streamKey) + "steering.json"; }

std::string steerMaster(std::string_view master, std::string_view masterDir, std::string_view streamKey,
                        const SteeringSnapshot& snapshot) {
  if (!snapshot.active()) return std::string(master);
  std::vector<std::string_view> header;
  struct Block {
    std::string_view tag;  // #EXT-X-STREAM-INF:...
    std::string_view uri;
  };
  std::vector<Block> blocks;
  std::vector<std::string_view> trailer;  // anything after the variants (kept once)
  std::string_view rest = master;
  bool pendingTag = false;
  while (!rest.empty()) {
    const std::size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (pendingTag) {
      if (line.empty() || line.front() == '#') continue;  // blank or comment between tag and URI
      blocks.back().uri = line;
      pendingTag = false;
    } else if (line.starts_with("#EXT-X-STREAM-INF:")) {
      blocks.push_back({line, {}});
      pendingTag = true;
    } else if (line.empty() || line.starts_with("#EXT-X-CONTENT-STEERING")) {
      continue;
    } else if (blocks.empty()) {
      header.push_back(line);
    } else {
      trailer.push_back(line);
    }
  }
  if (pendingTag) blocks.pop_back();  // a tag without its URI is not a variant

  std::string out;
  out.reserve(master.size() * (snapshot.pathways.size() + 1) + 256);
  for (const std::string_view line : header) out.append(line).push_back('\n');
  out += "#EXT-X-CONTENT-STEERING:SERVER-URI=\"";
  out += quotedAttr(joinBase(snapshot.originBaseUrl, steeringManifestPath(streamKey)));
  out += "\",PATHWAY-ID=\"";
  out += quotedAttr(snapshot.pathways.front().id);
  out += "\"\n";
  for (const SteeringPathway& pathway : snapshot.pathways) {
    for (const Block& block : blocks) {
      out.append(block.tag);
      if (block.tag.find("STABLE-VARIANT-ID=") == std::string_view::npos) {
        out += ",STABLE-VARIANT-ID=\"";
        out += stableVariantId(block.uri);
        out += '"';
      }
      out += ",PATHWAY-ID=\"";
      out += quotedAttr(pathway.id);
      out += "\"\n";
      if (isAbsolute(block.uri)) {
        out.append(block.uri);
      } else {
        out += joinBase(pathway.baseUrl, std::string(masterDir) + std::string(block.uri));
      }
      out += '\n';
    }
  }
  for (const std::string_view line : trailer) out.append(line).push_back('\n');
  return out;
}

std::string renderSteeredMaster(const std::vector<Variant>& variants, std::string_view streamKey,
                                const SteeringSnapshot& snapshot) {
  return steerMaster(renderMasterPlaylist(variants), streamDir(streamKey), streamKey, snapshot);
}

std::string renderSteeringManifest(const SteeringSnapshot& snapshot, std::string_view streamKey) {
  std::string out = "{\"VERSION\":1,\"TTL\":";
  out += std::to_string(snapshot.ttlSeconds > 0 ? snapshot.ttlSeconds : 1);
  out += ",\"RELOAD-URI\":";
  appendJsonString(out, joinBase(snapshot.originBaseUrl, steeringManifestPath(streamKey)));
  out += ",\"PATHWAY-PRIORITY\":[";
  bool first = true;
  for (const SteeringPathway& pathway : snapshot.pathways) {
    if (!first) out += ',';
    first = false;
    appendJsonString(out, pathway.id);
  }
  out += "]}";
  return out;
}

}  // namespace ls::hls
