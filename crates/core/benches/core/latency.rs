//! Per-call latencies and their percentiles, judged against the targets.
//!
//! Each call is timed on its own with `Instant`. On a shared machine a call also waits while
//! other processes have the CPU; Linux counts that wait per thread (`run_delay` in
//! `/proc/thread-self/schedstat`), so next to the wall-clock time every sample also keeps
//! the wall-clock time less that wait: what the call takes when it has a core to itself.
//! Waiting for the disk (fsync) is not subtracted.

use std::time::{Duration, Instant};

/// Which statistic a target is held against.
#[derive(Clone, Copy)]
pub enum Level {
    P95,
    P99,
    Max,
}

pub struct Target {
    pub level: Level,
    pub limit: Duration,
}

/// Individually timed calls of one operation.
pub struct Latencies {
    pub name: &'static str,
    pub target: Target,
    /// Wall-clock time of each call, sorted.
    pub wall: Vec<Duration>,
    /// Wall-clock time less the time spent waiting for a CPU, sorted.
    pub on_cpu: Vec<Duration>,
}

/// Time this thread has spent runnable but waiting for a CPU, when the kernel tells.
fn cpu_wait() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().nth(1)?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

impl Latencies {
    /// Times `op(i)` for `i` in `0..runs`. What `op` returns is dropped after the clock stops.
    pub fn measure<R>(
        name: &'static str,
        target: Target,
        runs: usize,
        mut op: impl FnMut(usize) -> R,
    ) -> Latencies {
        Latencies::measure_with_setup(name, target, runs, |_| (), |i, ()| op(i))
    }

    /// Times `op(i, setup(i))` for `i` in `0..runs`; `setup`, and dropping what `op` returns,
    /// are not timed.
    pub fn measure_with_setup<S, R>(
        name: &'static str,
        target: Target,
        runs: usize,
        mut setup: impl FnMut(usize) -> S,
        mut op: impl FnMut(usize, S) -> R,
    ) -> Latencies {
        let mut wall = Vec::with_capacity(runs);
        let mut on_cpu = Vec::with_capacity(runs);
        for i in 0..runs {
            let input = setup(i);
            let waited_before = cpu_wait();
            let start = Instant::now();
            let output = op(i, input);
            let took = start.elapsed();
            let waited = match (waited_before, cpu_wait()) {
                (Some(before), Some(after)) => after.saturating_sub(before),
                _ => Duration::ZERO,
            };
            drop(output);
            wall.push(took);
            on_cpu.push(took.saturating_sub(waited));
        }
        wall.sort_unstable();
        on_cpu.sort_unstable();
        Latencies {
            name,
            target,
            wall,
            on_cpu,
        }
    }
}

/// The nearest-rank percentile of sorted samples.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn mean(samples: &[Duration]) -> Duration {
    samples.iter().sum::<Duration>() / samples.len() as u32
}

fn judged(sorted: &[Duration], level: Level) -> Duration {
    match level {
        Level::P95 => percentile(sorted, 95.0),
        Level::P99 => percentile(sorted, 99.0),
        Level::Max => sorted[sorted.len() - 1],
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// One Markdown table per clock: wall-clock, then less the wait for a CPU.
pub fn print_tables(title: &str, rows: &[Latencies]) {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("\n{title} (load average now: {})", load.trim());
    for (clock, pick) in [
        (
            "wall clock",
            (|r: &Latencies| &r.wall) as fn(&Latencies) -> &Vec<Duration>,
        ),
        ("less time waiting for a CPU", |r: &Latencies| &r.on_cpu),
    ] {
        println!("\n{clock}:\n");
        println!(
            "| {:<30} | {:>5} | {:>9} | {:>9} | {:>9} | {:>9} | {:>9} | {:<14} | {:<3} |",
            "operation", "n", "mean ms", "p50 ms", "p95 ms", "p99 ms", "max ms", "target", "met"
        );
        println!(
            "|{:-<32}|{:->7}|{:->11}|{:->11}|{:->11}|{:->11}|{:->11}|{:-<16}|{:-<5}|",
            "", "", "", "", "", "", "", "", ""
        );
        for r in rows {
            let samples = pick(r);
            let level = match r.target.level {
                Level::P95 => "p95",
                Level::P99 => "p99",
                Level::Max => "max",
            };
            let met = judged(samples, r.target.level) < r.target.limit;
            println!(
                "| {:<30} | {:>5} | {:>9} | {:>9} | {:>9} | {:>9} | {:>9} | {:<14} | {:<3} |",
                r.name,
                samples.len(),
                ms(mean(samples)),
                ms(percentile(samples, 50.0)),
                ms(percentile(samples, 95.0)),
                ms(percentile(samples, 99.0)),
                ms(samples[samples.len() - 1]),
                format!("{level} < {} ms", r.target.limit.as_millis()),
                if met { "yes" } else { "NO" },
            );
        }
    }
}
