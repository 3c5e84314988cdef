//! The server's counters and their Prometheus text exposition: requests by route and
//! status, changes accepted, refused and duplicate, push and pull latency histograms, and
//! (read from storage at scrape time) how many documents and log entries there are.
//!
//! Knows nothing of HTTP or storage: the HTTP layer records, storage supplies [`Counts`]
//! and whatever counters of its own it keeps ([`BackendMetric`]).

use crate::storage::{BackendMetric, Counts, MetricKind};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// A latency histogram (cumulative buckets, as Prometheus wants them).
#[derive(Debug, Default)]
struct Histogram {
    counts: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        for (bound, count) in BUCKETS.iter().zip(&self.counts) {
            if secs <= *bound {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(d.as_micros() as u64, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        for (bound, count) in BUCKETS.iter().zip(&self.counts) {
            let _ = writeln!(
                out,
                "{name}_bucket{{le=\"{bound}\"}} {}",
                count.load(Ordering::Relaxed)
            );
        }
        let n = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {n}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum {sum}\n{name}_count {n}");
    }
}

/// Every counter of one server.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    accepted: AtomicU64,
    refused: AtomicU64,
    duplicates: AtomicU64,
    push: Histogram,
    pull: Histogram,
}

impl Metrics {
    /// Counts a request to `route` (the matched route pattern) answered with `status`.
    pub fn request(&self, route: &str, status: u16, took: Duration) {
        let mut map = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        *map.entry((route.to_string(), status)).or_default() += 1;
        drop(map);
        match route {
            "/v1/push" | "/v1/handover" => self.push.observe(took),
            "/v1/pull" => self.pull.observe(took),
            _ => {}
        }
    }

    /// Counts what a push did.
    pub fn changes(&self, accepted: u64, duplicates: u64, refused: u64) {
        self.accepted.fetch_add(accepted, Ordering::Relaxed);
        self.duplicates.fetch_add(duplicates, Ordering::Relaxed);
        self.refused.fetch_add(refused, Ordering::Relaxed);
    }

    /// The text exposition.
    pub fn render(&self, counts: &Counts, backend: &[BackendMetric]) -> String {
        let mut out = String::new();
        out.push_str("# HELP fieldbook_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE fieldbook_http_requests_total counter\n");
        let map = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        for ((route, status), n) in map.iter() {
            let route = route.replace('\\', "\\\\").replace('"', "\\\"");
            let _ = writeln!(
                out,
                "fieldbook_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        drop(map);
        out.push_str("# HELP fieldbook_changes_total Pushed changes by outcome.\n");
        out.push_str("# TYPE fieldbook_changes_total counter\n");
        for (outcome, n) in [
            ("accepted", &self.accepted),
            ("refused", &self.refused),
            ("duplicate", &self.duplicates),
        ] {
            let _ = writeln!(
                out,
                "fieldbook_changes_total{{outcome=\"{outcome}\"}} {}",
                n.load(Ordering::Relaxed)
            );
        }
        for (name, help, v) in [
            ("fieldbook_docs", "Records stored.", counts.docs),
            (
                "fieldbook_log_entries",
                "Entries in the change log.",
                counts.log,
            ),
            (
                "fieldbook_quarantine_entries",
                "Refused changes kept for review.",
                counts.quarantine,
            ),
            ("fieldbook_users", "Users.", counts.users),
            (
                "fieldbook_devices",
                "Devices ever signed in.",
                counts.devices,
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        }
        for m in backend {
            let kind = match m.kind {
                MetricKind::Counter => "counter",
                MetricKind::Gauge => "gauge",
            };
            let (name, help, v) = (m.name, m.help, m.value);
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {v}"
            );
        }
        self.push.render(
            &mut out,
            "fieldbook_push_duration_seconds",
            "Time to answer a push or handover.",
        );
        self.pull.render(
            &mut out,
            "fieldbook_pull_duration_seconds",
            "Time to answer a pull.",
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.request("/v1/push", 200, Duration::from_millis(3));
        m.request("/v1/push", 200, Duration::from_millis(30));
        m.request("/health", 200, Duration::from_micros(10));
        m.changes(5, 1, 2);
        let text = m.render(
            &Counts {
                docs: 7,
                log: 9,
                ..Counts::default()
            },
            &[BackendMetric {
                name: "fieldbook_things_total",
                help: "Things.",
                kind: MetricKind::Counter,
                value: 3,
            }],
        );
        assert!(
            text.contains("fieldbook_http_requests_total{route=\"/v1/push\",status=\"200\"} 2")
        );
        assert!(text.contains("fieldbook_changes_total{outcome=\"refused\"} 2"));
        assert!(text.contains("fieldbook_push_duration_seconds_bucket{le=\"0.005\"} 1"));
        assert!(text.contains("fieldbook_push_duration_seconds_bucket{le=\"0.05\"} 2"));
        assert!(text.contains("fieldbook_push_duration_seconds_count 2"));
        assert!(text.contains("fieldbook_docs 7") && text.contains("fieldbook_log_entries 9"));
        assert!(text.contains("# TYPE fieldbook_things_total counter\nfieldbook_things_total 3"));
    }
}
