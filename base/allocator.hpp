#pragma once
// An allocator for the many small lists that threads grow at once (the
// relationship graph's per-investor index and holdings, extended in parallel
// each step): oneTBB's scalable allocator, whose per-thread heaps spare the
// threads the C library's arena locks when one thread grows a list another
// thread allocated (docs/performance.md). Sanitizer builds keep
// std::allocator, which the sanitizers instrument. Where memory comes from
// has no effect on results.

#include <cstddef>
#include <limits>
#include <new>
#include <vector>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define AIRACE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define AIRACE_SANITIZED 1
#endif
#endif

namespace airace {

// oneTBB's scalable_malloc and scalable_free (base/parallel.cpp).
void* scalable_allocate(std::size_t bytes) noexcept;
void scalable_deallocate(void* memory) noexcept;

template <class T>
struct ScalableAllocator {
    using value_type = T;
    ScalableAllocator() = default;
    template <class U>
    ScalableAllocator(const ScalableAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) {
        if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_array_new_length();
        void* memory = scalable_allocate(n * sizeof(T));
        if (memory == nullptr) throw std::bad_alloc();
        return static_cast<T*>(memory);
    }
    void deallocate(T* memory, std::size_t) noexcept { scalable_deallocate(memory); }
    template <class U>
    bool operator==(const ScalableAllocator<U>&) const noexcept { return true; }
};

#ifdef AIRACE_SANITIZED
template <class T>
using ScalableVector = std::vector<T>;
#else
template <class T>
using ScalableVector = std::vector<T, ScalableAllocator<T>>;
#endif

}  // namespace airace
