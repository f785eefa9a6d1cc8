// Running the ffmpeg/ffprobe CLIs from tests: a temp directory, a command
// runner, and an FLV encoder for real H.264/AAC test streams.
#pragma once

#include <stdlib.h>  // mkdtemp
#include <sys/wait.h>

#include <array>
#include <span>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace ls::ts::testing {

// A fresh directory removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ls_media_test_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exitCode = -1;
  std::string output;  // stdout and stderr
};

inline CommandResult runCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline bool haveTool(const char* name) {
  return runCommand(std::string("command -v ") + name).exitCode == 0;
}

inline std::vector<std::uint8_t> readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void writeFile(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// x264 (yuv420p, B-frames) + AAC-LC stereo 44.1 kHz in FLV, as a publisher sends it.
inline CommandResult encodeTestFlv(const std::filesystem::path& out, const std::string& size, double seconds, int gop) {
  return runCommand("ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=" + size +
                    ":rate=30 -f lavfi -i sine=frequency=1000:sample_rate=44100 -t " + std::to_string(seconds) +
                    " -c:v libx264 -pix_fmt yuv420p -g " + std::to_string(gop) +
                    " -bf 2 -bsf:v h264_mp4toannexb -c:a aac -ac 2 -f flv " + out.string());
}

}  // namespace ls::ts::testing
