//! The search over parameters, in the unit cube (each parameter scaled from [low, high] to [0, 1]).
//!
//! 1. A Latin hypercube design: `n` points, each parameter's range cut into `n` strata with one point in each,
//!    strata paired at random. It covers the box evenly with few points and doubles as a prior sample for the
//!    plausible ranges.
//! 2. Nelder–Mead from the best design point, clamped to the box, for a fixed number of evaluations. It needs no
//!    derivatives, which a Monte Carlo loss does not have; with common random numbers the loss is a smooth-enough
//!    deterministic function of the parameters for it to converge.
//!
//! Both are deterministic for a seed.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// `n` points of a Latin hypercube in `[0, 1]^dims`, stratum centres jittered within their strata.
pub fn latin_hypercube(n: usize, dims: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(crate::rng::chain(seed, 0x0ca1_1b7a_7e00_0001));
    let mut columns: Vec<Vec<f64>> = Vec::with_capacity(dims);
    for _ in 0..dims {
        let mut strata: Vec<usize> = (0..n).collect();
        // Fisher–Yates, written out so the order depends only on this generator.
        for i in (1..n).rev() {
            let j = rng.random_range(0..=i);
            strata.swap(i, j);
        }
        columns.push(strata.into_iter().map(|s| (s as f64 + rng.random::<f64>()) / n as f64).collect());
    }
    (0..n).map(|i| columns.iter().map(|c| c[i]).collect()).collect()
}

/// Minimises `f` over `[0, 1]^d` from `start` with Nelder–Mead (standard coefficients: reflection 1, expansion 2,
/// contraction ½, shrink ½), points clamped to the box, stopping after `evaluations` calls of `f` or when the
/// simplex has collapsed. Returns every point evaluated with its value, in order.
pub fn nelder_mead(
    f: &mut dyn FnMut(&[f64]) -> f64,
    start: &[f64],
    step: f64,
    evaluations: usize,
) -> Vec<(Vec<f64>, f64)> {
    let d = start.len();
    let mut trace: Vec<(Vec<f64>, f64)> = Vec::new();
    let clamp = |x: Vec<f64>| x.into_iter().map(|v| v.clamp(0.0, 1.0)).collect::<Vec<f64>>();
    let mut eval = |x: Vec<f64>, trace: &mut Vec<(Vec<f64>, f64)>| -> Option<(Vec<f64>, f64)> {
        if trace.len() >= evaluations {
            return None;
        }
        let x = clamp(x);
        let y = f(&x);
        trace.push((x.clone(), y));
        Some((x, y))
    };
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(d + 1);
    for i in 0..=d {
        let mut x = start.to_vec();
        if i > 0 {
            // Step inwards from a face of the box so that the vertex differs from the start.
            x[i - 1] += if x[i - 1] + step <= 1.0 { step } else { -step };
        }
        match eval(x, &mut trace) {
            Some(v) => simplex.push(v),
            None => return trace,
        }
    }
    loop {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let spread = simplex.iter().map(|(x, _)| dist(x, &simplex[0].0)).fold(0.0, f64::max);
        if spread < 1e-6 {
            return trace;
        }
        let worst = simplex[d].clone();
        let centroid: Vec<f64> =
            (0..d).map(|k| simplex[..d].iter().map(|(x, _)| x[k]).sum::<f64>() / d as f64).collect();
        let towards = |t: f64| -> Vec<f64> { (0..d).map(|k| centroid[k] + t * (worst.0[k] - centroid[k])).collect() };
        let Some(reflected) = eval(towards(-1.0), &mut trace) else { return trace };
        if reflected.1 < simplex[0].1 {
            let Some(expanded) = eval(towards(-2.0), &mut trace) else { return trace };
            simplex[d] = if expanded.1 < reflected.1 { expanded } else { reflected };
        } else if reflected.1 < simplex[d - 1].1 {
            simplex[d] = reflected;
        } else {
            let t = if reflected.1 < worst.1 { -0.5 } else { 0.5 };
            let Some(contracted) = eval(towards(t), &mut trace) else { return trace };
            if contracted.1 < worst.1.min(reflected.1) {
                simplex[d] = contracted;
            } else {
                let best = simplex[0].0.clone();
                for vertex in simplex.iter_mut().skip(1) {
                    let x: Vec<f64> = (0..d).map(|k| best[k] + 0.5 * (vertex.0[k] - best[k])).collect();
                    let Some(v) = eval(x, &mut trace) else { return trace };
                    *vertex = v;
                }
            }
        }
    }
}

fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin_hypercube_has_one_point_per_stratum_in_every_dimension() {
        let points = latin_hypercube(10, 3, 7);
        assert_eq!(points.len(), 10);
        for k in 0..3 {
            let mut strata: Vec<usize> = points.iter().map(|p| (p[k] * 10.0) as usize).collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..10).collect::<Vec<_>>());
        }
        assert_eq!(points, latin_hypercube(10, 3, 7), "deterministic");
        assert_ne!(points, latin_hypercube(10, 3, 8));
    }

    #[test]
    fn nelder_mead_finds_the_minimum_of_a_bowl_inside_the_box() {
        let mut f = |x: &[f64]| (x[0] - 0.3).powi(2) + 4.0 * (x[1] - 0.7).powi(2);
        let trace = nelder_mead(&mut f, &[0.9, 0.1], 0.1, 200);
        let best = trace.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        assert!((best.0[0] - 0.3).abs() < 1e-3 && (best.0[1] - 0.7).abs() < 1e-3, "{best:?}");
        assert!(trace.len() <= 200);
    }

    #[test]
    fn nelder_mead_stays_in_the_box_and_within_its_budget() {
        let mut f = |x: &[f64]| -x[0];
        let trace = nelder_mead(&mut f, &[0.5], 0.2, 15);
        assert_eq!(trace.len(), 15);
        assert!(trace.iter().all(|(x, _)| (0.0..=1.0).contains(&x[0])));
        assert!(trace.iter().any(|(x, _)| x[0] == 1.0), "the boundary optimum is reached");
    }
}
