//! What a chart says besides the numbers: country names, the rollout dates to mark and the source line. Taken
//! from the run's manifest and its scenario, never from the engine.

use chrono::{Datelike, NaiveDate};
use indexmap::IndexMap;

use crate::output::Manifest;
pub use crate::output::number::{thousands, thousands_with};
use crate::scenario::Scenario;

/// A dated event drawn as a vertical line: a rollout phase starting, or new transfers suspended.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub date: NaiveDate,
    /// What changed, e.g. "families added" or "suspended".
    pub label: String,
    /// A phase that opens no household type: new transfers stop.
    pub suspension: bool,
    /// On a chart comparing policies, the policies whose rollout has this date, when not all on the chart do
    /// (the label then names them); empty for a date every policy on the chart shares.
    pub only: Vec<String>,
}

/// Everything a chart needs besides the summary table.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartContext {
    /// e.g. "guatemala-2019".
    pub scenario_name: String,
    pub replications: u64,
    pub seed: u64,
    /// The sending country's key.
    pub sending: String,
    /// Display names by country key ("guatemala" → "Guatemala").
    pub names: IndexMap<String, String>,
    /// Rollout markers per receiving country, in date order (the reference policy's).
    pub markers: IndexMap<String, Vec<Marker>>,
    /// Every policy's rollout markers, by policy name, when the run had several: a policy may change the rollout,
    /// and its charts (and the charts comparing it) must show its own dates. Empty: every chart uses `markers`.
    pub policy_markers: IndexMap<String, IndexMap<String, Vec<Marker>>>,
}

impl ChartContext {
    /// The context of a run: source line from the manifest, names and rollout dates from its scenario.
    pub fn new(manifest: &Manifest, scenario: &Scenario) -> ChartContext {
        let markers = rollout_markers(scenario);
        ChartContext {
            scenario_name: manifest.scenario_name.clone(),
            replications: manifest.replications,
            seed: manifest.seed,
            sending: scenario.sending_country.clone(),
            names: scenario.countries.clone(),
            markers,
            policy_markers: IndexMap::new(),
        }
    }

    /// The context with each policy's own rollout dates (`(name, scenario)` of every policy that ran).
    pub fn with_policies<'a>(mut self, policies: impl IntoIterator<Item = (&'a str, &'a Scenario)>) -> ChartContext {
        self.policy_markers = policies.into_iter().map(|(name, s)| (name.to_string(), rollout_markers(s))).collect();
        self
    }

    /// A context without a scenario (when its file is gone or has changed): no rollout marks, country keys as
    /// names, and the first country of the table as the sending country.
    pub fn without_scenario(manifest: &Manifest, sending: &str) -> ChartContext {
        ChartContext {
            scenario_name: manifest.scenario_name.clone(),
            replications: manifest.replications,
            seed: manifest.seed,
            sending: sending.to_string(),
            names: IndexMap::new(),
            markers: IndexMap::new(),
            policy_markers: IndexMap::new(),
        }
    }

    /// The display name of a country, or its key.
    pub fn name<'a>(&'a self, country: &'a str) -> &'a str {
        self.names.get(country).map_or(country, String::as_str)
    }

    /// "Source: safe-third simulation, scenario guatemala-2019, 1,000 replications, seed 2019."
    pub fn source_line(&self) -> String {
        format!(
            "Source: safe-third simulation, scenario {}, {} replications, seed {}.",
            self.scenario_name,
            thousands(self.replications as f64),
            self.seed
        )
    }

    /// The markers to draw on a country's charts of one policy: its own agreement's, or for the sending country
    /// every agreement's (named by receiving country when there are several). A policy the context does not know
    /// gets the reference policy's markers.
    pub fn markers_for(&self, policy: &str, country: &str) -> Vec<Marker> {
        let markers = self.policy_markers.get(policy).unwrap_or(&self.markers);
        if country != self.sending {
            return markers.get(country).cloned().unwrap_or_default();
        }
        let several = markers.len() > 1;
        let mut all: Vec<Marker> = markers
            .iter()
            .flat_map(|(receiving, marks)| {
                marks.iter().map(move |m| Marker {
                    label: if several { format!("{}: {}", self.name(receiving), m.label) } else { m.label.clone() },
                    ..m.clone()
                })
            })
            .collect();
        all.sort_by_key(|m| m.date);
        all
    }

    /// The markers of a chart comparing `policies`: each date once, and those that not every policy has labelled
    /// with the policies that have it (so each policy's rollout is drawn, not only the reference's).
    pub fn markers_compared(&self, policies: &[&str], country: &str) -> Vec<Marker> {
        let each: Vec<Vec<Marker>> = policies.iter().map(|p| self.markers_for(p, country)).collect();
        let mut distinct: Vec<Marker> = Vec::new();
        for m in each.iter().flatten() {
            if !distinct.contains(m) {
                distinct.push(m.clone());
            }
        }
        let mut all: Vec<Marker> = distinct
            .into_iter()
            .map(|m| {
                let have: Vec<&str> =
                    policies.iter().zip(&each).filter(|(_, marks)| marks.contains(&m)).map(|(p, _)| *p).collect();
                if have.len() == policies.len() {
                    return m;
                }
                let missing: Vec<&str> = policies.iter().copied().filter(|p| !have.contains(p)).collect();
                let whose = match (have.as_slice(), missing.as_slice()) {
                    ([one], _) => format!("policy {one} only"),
                    (_, [one]) => format!("all but policy {one}"),
                    _ if have.len() <= missing.len() => format!("policies {}", have.join(", ")),
                    _ => format!("all but policies {}", missing.join(", ")),
                };
                Marker {
                    label: format!("{} ({whose})", m.label),
                    only: have.iter().map(|p| p.to_string()).collect(),
                    ..m
                }
            })
            .collect();
        // Stable: on one date, shared marks first.
        all.sort_by_key(|m| (m.date, !m.only.is_empty()));
        all
    }
}

/// Rollout markers per receiving country of a scenario, in date order: its phases, suspensions and their ends.
fn rollout_markers(scenario: &Scenario) -> IndexMap<String, Vec<Marker>> {
    scenario
        .agreement
        .iter()
        .map(|(country, agreement)| {
            let mut marks: Vec<Marker> = agreement
                .phase
                .iter()
                .map(|p| {
                    let suspension = p.households.is_empty();
                    let label = if !p.label.is_empty() {
                        p.label.clone()
                    } else if suspension {
                        "transfers suspended".to_string()
                    } else {
                        let open: Vec<String> = p.households.iter().map(|h| h.name().replace('_', " ")).collect();
                        format!("open to {}", open.join(", "))
                    };
                    Marker { date: p.from.0, label, suspension, only: Vec::new() }
                })
                .collect();
            // Suspensions and terminations of transfers, and their ends.
            for x in &agreement.suspension {
                let label = match (x.label.is_empty(), x.until.is_some()) {
                    (false, _) => x.label.clone(),
                    (true, true) => "transfers suspended".to_string(),
                    (true, false) => "agreement terminated".to_string(),
                };
                marks.push(Marker { date: x.from.0, label, suspension: true, only: Vec::new() });
                if let Some(until) = x.until {
                    marks.push(Marker {
                        date: until.0,
                        label: "transfers resume".to_string(),
                        suspension: false,
                        only: Vec::new(),
                    });
                }
            }
            marks.sort_by_key(|m| m.date);
            (country.clone(), marks)
        })
        .collect()
}

/// "21 Nov 2019".
pub fn day_label(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), MONTHS[date.month0() as usize], date.year())
}

/// English month abbreviations.
pub const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_print() {
        assert_eq!(thousands(16572.0), "16,572");
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(1_000_000.0), "1,000,000");
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(-0.2), "0");
        assert_eq!(thousands(-1500.0), "−1,500");
        assert_eq!(thousands_with(2.5, 1), "2.5");
        assert_eq!(thousands_with(2.0, 1), "2");
        assert_eq!(thousands_with(1234.25, 2), "1,234.25");
        assert_eq!(day_label(NaiveDate::from_ymd_opt(2019, 11, 21).unwrap()), "21 Nov 2019");
    }
}
