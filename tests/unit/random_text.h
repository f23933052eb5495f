// Random texts glued together from pieces chosen for the edge cases under test. Property tests compare a
// fast implementation with a simple reference on thousands of them; a fixed seed keeps failures
// reproducible.
#pragma once

#include <cstddef>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace migsafe::testing {

inline std::vector<std::string> random_texts(std::span<const char* const> pieces, unsigned seed, int max_pieces,
                                             int count) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, max_pieces);
  std::vector<std::string> texts;
  texts.reserve(static_cast<std::size_t>(count));
  for (int round = 0; round < count; ++round) {
    std::string text;
    for (int n = length(random); n > 0; --n) text += pieces[piece(random)];
    texts.push_back(std::move(text));
  }
  return texts;
}

}  // namespace migsafe::testing
