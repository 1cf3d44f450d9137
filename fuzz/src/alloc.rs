//! A counting allocator: live bytes, their peak since `reset_peak`, and a hard limit on any one
//! allocation. The targets compare the peak a run reached with what the core's memory budget
//! predicted for it; an allocation past the hard limit (a size a hostile file made up) writes the
//! input that caused it to the artifacts folder and aborts, before the machine runs out of
//! memory.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// No allocation the targets make is larger than this: the fuzz budget allows 256 MiB in all.
pub const HARD_LIMIT: usize = 1 << 30;

/// The input being run and where to write it if it asks for too much (set by the driver).
static CURRENT: AtomicPtr<Vec<u8>> = AtomicPtr::new(std::ptr::null_mut());
static ARTIFACT: AtomicPtr<std::path::PathBuf> = AtomicPtr::new(std::ptr::null_mut());

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > HARD_LIMIT {
            too_large(layout.size());
        }
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > HARD_LIMIT {
            too_large(new_size);
        }
        // SAFETY: as for `alloc`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

/// Save the input that asked for `size` bytes, say so, and abort.
fn too_large(size: usize) -> ! {
    let input = CURRENT.load(Ordering::SeqCst);
    let path = ARTIFACT.load(Ordering::SeqCst);
    if !input.is_null() && !path.is_null() {
        // SAFETY: the driver keeps both alive (leaked) while a run is in progress.
        let (input, path) = unsafe { (&*input, &*path) };
        let _ = std::fs::write(path, input);
        eprintln!("FINDING: an allocation of {size} bytes (over {HARD_LIMIT}); input saved to {}", path.display());
    } else {
        eprintln!("FINDING: an allocation of {size} bytes (over {HARD_LIMIT})");
    }
    std::process::abort();
}

/// Bytes allocated and not yet freed.
pub fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The most bytes live at once since the last `reset_peak`.
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

pub fn reset_peak() {
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
}

/// The input now running, written out if it allocates past the hard limit. Kept in a leaked box
/// that the allocator can read without allocating.
pub fn set_current(input: &[u8]) {
    let old = CURRENT.swap(Box::into_raw(Box::new(input.to_vec())), Ordering::SeqCst);
    if !old.is_null() {
        // SAFETY: `old` came from Box::into_raw above and no one else holds it.
        drop(unsafe { Box::from_raw(old) });
    }
}

/// Where an input that allocates past the hard limit is written (one per target).
pub fn set_artifact(path: &std::path::Path) {
    let old = ARTIFACT.swap(Box::into_raw(Box::new(path.to_path_buf())), Ordering::SeqCst);
    if !old.is_null() {
        // SAFETY: as in `set_current`.
        drop(unsafe { Box::from_raw(old) });
    }
}
