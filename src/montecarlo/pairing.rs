//! Which cells and key figures two runs share: policies may differ in months, countries or metrics, and are
//! compared only where both have a value.

use crate::model::MetricLayout;

use super::key_figures::FigureSpec;

/// The cells two layouts share, matched by month label, country and metric, in `reference`'s order.
pub(crate) fn matching_cells(policy: &MetricLayout, reference: &MetricLayout) -> Vec<(usize, usize)> {
    reference
        .cells()
        .enumerate()
        .filter_map(|(r_cell, (month, country, metric, _))| {
            let p_month = policy.months.iter().position(|m| *m == reference.months[month])?;
            let p_cell = policy.find(p_month, &reference.countries[country], metric)?;
            Some((p_cell, r_cell))
        })
        .collect()
}

/// Key figures two sets share, matched by country and label, in `reference`'s order.
pub(crate) fn matching_figures(policy: &[FigureSpec], reference: &[FigureSpec]) -> Vec<(usize, usize)> {
    reference
        .iter()
        .enumerate()
        .filter_map(|(r, rf)| {
            let p = policy.iter().position(|pf| pf.country == rf.country && pf.label == rf.label)?;
            Some((p, r))
        })
        .collect()
}
