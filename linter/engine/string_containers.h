// Small string-keyed containers for MigrationState, which is reset for every migration and usually holds
// a handful of names. std::set / std::map allocated a node (and often a key copy) per entry and freed them
// all again at the next migration; these keep their entries in vectors, whose capacity clear() keeps, so
// one state reused across migrations stops allocating once warm.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migsafe {

// A set of strings for membership tests. Iteration order is unspecified (for_each); lookups take a
// string_view, so callers need not build a std::string to ask.
class StringSet {
 public:
  // Adds `value`; false when it was already there.
  bool insert(std::string value) {
    if (contains(value)) return false;
    recent_.push_back(std::move(value));
    if (recent_.size() >= kMaxRecent) fold();
    return true;
  }
  bool contains(std::string_view value) const {
    return std::binary_search(sorted_.begin(), sorted_.end(), value, std::less<>()) ||
           std::find(recent_.begin(), recent_.end(), value) != recent_.end();
  }
  std::size_t count(std::string_view value) const { return contains(value) ? 1 : 0; }
  bool empty() const { return sorted_.empty() && recent_.empty(); }
  std::size_t size() const { return sorted_.size() + recent_.size(); }
  void clear() {
    sorted_.clear();
    recent_.clear();
  }
  template <typename Visit>
  void for_each(Visit visit) const {
    for (const std::string& value : sorted_) visit(value);
    for (const std::string& value : recent_) visit(value);
  }

 private:
  // New entries wait unsorted in `recent_` and are merged into `sorted_` in batches: inserting each at its
  // sorted place would make a migration that creates thousands of tables or indexes quadratic.
  static constexpr std::size_t kMaxRecent = 32;
  void fold() {
    std::sort(recent_.begin(), recent_.end());
    auto middle = static_cast<std::ptrdiff_t>(sorted_.size());
    sorted_.insert(sorted_.end(), std::make_move_iterator(recent_.begin()), std::make_move_iterator(recent_.end()));
    std::inplace_merge(sorted_.begin(), sorted_.begin() + middle, sorted_.end());
    recent_.clear();
  }
  std::vector<std::string> sorted_;  // sorted, none of them in recent_
  std::vector<std::string> recent_;  // fewer than kMaxRecent, in insertion order
};

// A map from strings to small values, iterated in key order (as std::map). Meant for the few entries of
// one transaction block: an insert shifts the entries after it.
template <typename Value>
class SortedStringMap {
 public:
  using value_type = std::pair<std::string, Value>;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  // Adds key -> value unless the key is there (as std::map::emplace); false when it was.
  bool emplace(std::string key, Value value) {
    auto it = position(key);
    if (it != entries_.end() && it->first == key) return false;
    entries_.emplace(it, std::move(key), std::move(value));
    return true;
  }
  // The value of `key`, value-initialized first when the key is new (as std::map::operator[]).
  Value& operator[](std::string key) {
    auto it = position(key);
    if (it == entries_.end() || it->first != key) it = entries_.emplace(it, std::move(key), Value());
    return it->second;
  }
  const_iterator find(std::string_view key) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                               [](const value_type& entry, std::string_view wanted) { return entry.first < wanted; });
    return it != entries_.end() && it->first == key ? it : entries_.end();
  }
  std::size_t count(std::string_view key) const { return find(key) == end() ? 0 : 1; }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  void clear() { entries_.clear(); }

 private:
  typename std::vector<value_type>::iterator position(std::string_view key) {
    return std::lower_bound(entries_.begin(), entries_.end(), key,
                            [](const value_type& entry, std::string_view wanted) { return entry.first < wanted; });
  }
  std::vector<value_type> entries_;  // sorted by key, keys unique
};

}  // namespace migsafe
