// gui_png_compare A.png B.png TOLERANCE: exit 0 when both images have the same size and no
// channel of any pixel differs by more than TOLERANCE (0..255); otherwise print how many pixels
// differ and where, and exit 1. Used by screenshot_test.cmake to check that the frame cache draws
// the same picture as drawing every pixel (blending into the cache may round a few edge pixels by
// one level, hence the tolerance).
#include <stb_image.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {

struct Image {
  int width = 0;
  int height = 0;
  std::unique_ptr<unsigned char, decltype(&stbi_image_free)> pixels{nullptr, &stbi_image_free};
};

bool load(const char* path, Image& image) {
  int channels = 0;
  image.pixels.reset(stbi_load(path, &image.width, &image.height, &channels, 3));
  if (!image.pixels) std::fprintf(stderr, "%s: cannot read (%s)\n", path, stbi_failure_reason());
  return image.pixels != nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: gui_png_compare A.png B.png TOLERANCE\n");
    return 2;
  }
  Image a, b;
  if (!load(argv[1], a) || !load(argv[2], b)) return 2;
  const int tolerance = std::clamp(std::atoi(argv[3]), 0, 255);
  if (a.width != b.width || a.height != b.height) {
    std::printf("sizes differ: %dx%d and %dx%d\n", a.width, a.height, b.width, b.height);
    return 1;
  }
  long differing = 0;
  int first_x = -1, first_y = -1;
  for (int y = 0; y < a.height; ++y) {
    for (int x = 0; x < a.width; ++x) {
      const std::size_t i = (static_cast<std::size_t>(y) * a.width + x) * 3;
      for (int c = 0; c < 3; ++c) {
        if (std::abs(a.pixels.get()[i + c] - b.pixels.get()[i + c]) > tolerance) {
          if (differing == 0) {
            first_x = x;
            first_y = y;
          }
          ++differing;
          break;
        }
      }
    }
  }
  if (differing == 0) return 0;
  std::printf("%ld pixels differ by more than %d, the first at (%d, %d)\n", differing, tolerance,
              first_x, first_y);
  return 1;
}
