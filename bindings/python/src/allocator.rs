//! The module's allocator: mimalloc for small blocks, the system allocator for large ones.
//!
//! Results are allocated on tokio threads and freed on the event loop's thread, the cross-thread
//! pattern where glibc's arenas contend and mimalloc does not. Large blocks (a report's body, its
//! row vector) stay with the system allocator, whose `realloc` of an mmap'd block remaps pages
//! instead of copying them, so a growing 40 MB vector is never resident twice.

use mimalloc::MiMalloc;
use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks of at least this many bytes go to the system allocator.
const LARGE: usize = 1 << 20;

pub(crate) struct Split;

fn large(size: usize) -> bool {
    size >= LARGE
}

// SAFETY: each block is freed and resized by the allocator that made it. Which one that is
// depends only on the block's size, and `GlobalAlloc` callers hand `dealloc` and `realloc` the
// layout the block was allocated (or last reallocated) with.
unsafe impl GlobalAlloc for Split {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees (a non-zero-size layout).
        unsafe {
            if large(layout.size()) {
                System.alloc(layout)
            } else {
                MiMalloc.alloc(layout)
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe {
            if large(layout.size()) {
                System.alloc_zeroed(layout)
            } else {
                MiMalloc.alloc_zeroed(layout)
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from the allocator that `layout.size()` selects (see above).
        unsafe {
            if large(layout.size()) {
                System.dealloc(ptr, layout)
            } else {
                MiMalloc.dealloc(ptr, layout)
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same-side resizes are forwarded with the caller's guarantees; a resize across
        // the threshold allocates on the other side, copies the bytes both blocks hold and frees
        // the old block where it was made. `new_size` with `layout.align()` is a valid layout by
        // the caller's guarantee.
        unsafe {
            match (large(layout.size()), large(new_size)) {
                (true, true) => System.realloc(ptr, layout, new_size),
                (false, false) => MiMalloc.realloc(ptr, layout, new_size),
                _ => {
                    let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
                    let new = self.alloc(new_layout);
                    if !new.is_null() {
                        std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                    new
                }
            }
        }
    }
}
