//! Work on several threads, results taken in order: the readers (or the
//! rules) run on every core while the calling thread takes each result as
//! soon as it and all before it are done. Which thread did what never
//! shows in the result.

use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};

/// Runs `work` on each item on up to `threads` threads and hands each
/// result to `take` in item order. Threads run at most a few items ahead
/// of `take`, so results waiting to be taken do not pile up in memory.
/// Stops handing out items once `take` fails, and returns that error; a
/// panic in `work` is raised again here.
pub(crate) fn in_order<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
    take: impl FnMut(usize, R) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    in_order_ahead(items, threads, 2 * threads, work, take)
}

/// [`in_order`] with the threads at most `ahead` items ahead of `take`
/// (at least one per thread): more for small items whose taking is slow
/// now and then (a write), so that the threads need not wait for it.
pub(crate) fn in_order_ahead<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    ahead: usize,
    work: impl Fn(&T) -> R + Sync,
    mut take: impl FnMut(usize, R) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    if threads <= 1 || items.len() <= 1 {
        for (i, item) in items.iter().enumerate() {
            take(i, work(item))?;
        }
        return Ok(());
    }
    let ahead = ahead.max(threads);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let state = Mutex::new(State {
        slots: items.iter().map(|_| None).collect(),
        taken: 0,
    });
    // `ready`: a result came in; `room`: one was taken.
    let (ready, room) = (Condvar::new(), Condvar::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.min(items.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else {
                    return;
                };
                {
                    let mut state = lock(&state);
                    while i >= state.taken + ahead && !stop.load(Ordering::Relaxed) {
                        state = room.wait(state).unwrap_or_else(|e| e.into_inner());
                    }
                }
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let result = catch_unwind(AssertUnwindSafe(|| work(item)));
                let failed = result.is_err();
                lock(&state).slots[i] = Some(result);
                ready.notify_all();
                if failed {
                    return;
                }
            });
        }
        // However `take` ends (an error, a panic), the threads are told to
        // stop, or those waiting for room would wait forever.
        let _halt = Halt {
            stop: &stop,
            state: &state,
            room: &room,
        };
        let mut taken = || -> anyhow::Result<()> {
            for i in 0..items.len() {
                let result = {
                    let mut state = lock(&state);
                    loop {
                        if let Some(result) = state.slots[i].take() {
                            state.taken = i + 1;
                            break result;
                        }
                        state = ready.wait(state).unwrap_or_else(|e| e.into_inner());
                    }
                };
                room.notify_all();
                match result {
                    Ok(r) => take(i, r)?,
                    Err(panic) => resume_unwind(panic),
                }
            }
            Ok(())
        };
        taken()
    })
}

/// Results in item order, and how many have been taken.
struct State<R> {
    slots: Vec<Option<std::thread::Result<R>>>,
    taken: usize,
}

/// Tells the threads to stop when dropped, waking those waiting for room.
struct Halt<'a, R> {
    stop: &'a AtomicBool,
    state: &'a Mutex<State<R>>,
    room: &'a Condvar,
}

impl<R> Drop for Halt<'_, R> {
    fn drop(&mut self) {
        let _guard = lock(self.state);
        self.stop.store(true, Ordering::Relaxed);
        self.room.notify_all();
    }
}

/// Runs `first` on a thread of its own while the calling thread runs
/// `second`, and gives both results; a panic in `first` is raised again
/// here. On one core (or for a test that measures one thread's memory,
/// `ON_CALLER`) both run on the calling thread, one after the other.
pub(crate) fn both<A: Send, B>(
    first: impl FnOnce() -> A + Send,
    second: impl FnOnce() -> B,
) -> (A, B) {
    if cores() <= 1 || on_caller() {
        let first = first();
        return (first, second());
    }
    std::thread::scope(|scope| {
        let first = scope.spawn(first);
        let second = second();
        let first = first.join().unwrap_or_else(|panic| resume_unwind(panic));
        (first, second)
    })
}

#[cfg(test)]
thread_local! {
    /// Set by a test that measures the memory its own thread holds: `both`
    /// then runs its work on that thread.
    pub(crate) static ON_CALLER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn on_caller() -> bool {
    #[cfg(test)]
    return ON_CALLER.with(std::cell::Cell::get);
    #[cfg(not(test))]
    false
}

/// Frees `value` on a thread of its own, for a command about to end that
/// need not wait for millions of records to be freed one by one (the
/// process ending frees them anyway).
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(value));
    // Without a thread, the value went with the closure: freed here.
    drop(spawned);
}

/// One thread per core (at least one), asked of the system once: the
/// standard library reads the process's CPU affinity and its cgroup's
/// files for each answer (six system calls, about 40 µs), and an audit
/// asks a couple of dozen times.
pub(crate) fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order_whatever_the_threads() {
        let items: Vec<u64> = (0..200).collect();
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            in_order(
                &items,
                threads,
                |&n| {
                    // Uneven work, so threads finish out of order.
                    std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 300));
                    n * n
                },
                |i, r| {
                    seen.push((i, r));
                    Ok(())
                },
            )
            .unwrap();
            let expected: Vec<(usize, u64)> = (0..200).map(|n| (n as usize, n * n)).collect();
            assert_eq!(seen, expected, "{threads} threads");
        }
    }

    /// How far ahead of a slow taker two threads ran: with `in_order`'s
    /// room, or with `room` items of it.
    fn most_ahead(room: Option<usize>) -> usize {
        let items: Vec<u32> = (0..100).collect();
        let started = AtomicUsize::new(0);
        let mut most_ahead = 0;
        let work = |_: &u32| {
            started.fetch_add(1, Ordering::Relaxed);
        };
        let take = |i: usize, ()| {
            std::thread::sleep(std::time::Duration::from_micros(300));
            most_ahead = most_ahead.max(started.load(Ordering::Relaxed) - (i + 1));
            Ok(())
        };
        match room {
            None => in_order(&items, 2, work, take),
            Some(room) => in_order_ahead(&items, 2, room, work, take),
        }
        .unwrap();
        most_ahead
    }

    #[test]
    fn threads_stay_a_few_items_ahead_of_a_slow_taker() {
        let ahead = most_ahead(None);
        assert!(ahead <= 4, "at most twice the threads ahead, was {ahead}");
        assert!(
            ahead >= 1,
            "but ahead: the threads work while items are taken"
        );
    }

    #[test]
    fn threads_run_as_far_ahead_as_they_are_given_room() {
        let ahead = most_ahead(Some(12));
        assert!(ahead <= 12, "at most 12 ahead, was {ahead}");
        assert!(ahead > 4, "further ahead than in_order's room, was {ahead}");
    }

    #[test]
    fn a_panic_in_taking_is_raised_not_waited_on() {
        let items: Vec<u32> = (0..100).collect();
        let run = std::panic::catch_unwind(|| {
            in_order(
                &items,
                2,
                |&n| n,
                |i, _| {
                    assert!(i != 0, "a bug in taking");
                    Ok(())
                },
            )
        });
        assert!(
            run.is_err(),
            "the panic comes through, and the threads stop"
        );
    }

    #[test]
    fn an_error_in_taking_stops_the_run() {
        let items: Vec<u32> = (0..1000).collect();
        let done = AtomicUsize::new(0);
        let e = in_order(
            &items,
            2,
            |_| {
                done.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_micros(200));
            },
            |i, ()| {
                if i == 3 {
                    anyhow::bail!("bad piece {i}")
                } else {
                    Ok(())
                }
            },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "bad piece 3");
        assert!(done.load(Ordering::Relaxed) < 1000, "work stopped early");
    }
}
