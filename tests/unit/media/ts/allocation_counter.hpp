// Counts global operator new calls in the test binary that links
// allocation_counter.cpp (which replaces the global allocation functions).
#pragma once

#include <cstddef>

namespace ls::ts::testing {

std::size_t allocationCount();

}  // namespace ls::ts::testing
