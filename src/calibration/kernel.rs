//! The perturbation kernel of ABC-SMC: a multivariate normal around a particle drawn from the previous
//! population, with twice the population's weighted covariance (Beaumont, Cornuet, Marin & Robert 2009; the
//! choice Filippi et al. 2013 show is close to optimal for a normal kernel). Proposals outside the prior's
//! support are not truncated here: their prior density is 0, so the sampler rejects them (as pyABC does), which
//! keeps the proposal density the plain mixture below up to a constant that the weight normalisation removes.

/// A weighted mixture of normals centred on the particles of a population.
#[derive(Debug, Clone)]
pub struct Kernel {
    centres: Vec<Vec<f64>>,
    /// Normalised weights and their running sum, for drawing a centre by inversion.
    weights: Vec<f64>,
    cumulative: Vec<f64>,
    /// Lower-triangular Cholesky factor of the kernel's covariance.
    factor: Vec<Vec<f64>>,
}

impl Kernel {
    /// The kernel of a population (`centres` with their `weights`, not necessarily normalised). `floor[k]` is the
    /// smallest standard deviation allowed in dimension `k` (a population collapsed onto one value, e.g. an
    /// integer, would otherwise never move again).
    pub fn new(centres: &[Vec<f64>], weights: &[f64], floor: &[f64]) -> Kernel {
        let total: f64 = weights.iter().sum();
        let weights: Vec<f64> = weights.iter().map(|w| w / total).collect();
        let d = floor.len();
        let mean: Vec<f64> = (0..d).map(|k| centres.iter().zip(&weights).map(|(c, w)| w * c[k]).sum()).collect();
        let mut lower = vec![vec![0.0; d]; d];
        for (c, w) in centres.iter().zip(&weights) {
            for (i, row) in lower.iter_mut().enumerate() {
                for (j, cell) in row.iter_mut().enumerate().take(i + 1) {
                    *cell += w * (c[i] - mean[i]) * (c[j] - mean[j]);
                }
            }
        }
        // Twice the covariance, mirrored from the lower triangle, each variance at least its floor².
        let covariance: Vec<Vec<f64>> = (0..d)
            .map(|i| {
                (0..d)
                    .map(|j| {
                        let doubled = 2.0 * lower[i.max(j)][i.min(j)];
                        if i == j { doubled.max(floor[i] * floor[i]) } else { doubled }
                    })
                    .collect()
            })
            .collect();
        let mut cumulative = Vec::with_capacity(weights.len());
        let mut sum = 0.0;
        for w in &weights {
            sum += w;
            cumulative.push(sum);
        }
        Kernel { centres: centres.to_vec(), weights, cumulative, factor: cholesky(covariance) }
    }

    /// A proposal: the centre picked by `u` (uniform in [0, 1)), moved by the standard normal draws `z`.
    pub fn propose(&self, u: f64, z: &[f64]) -> Vec<f64> {
        let target = u * self.cumulative.last().copied().unwrap_or(1.0);
        let index = self.cumulative.partition_point(|&c| c <= target).min(self.centres.len() - 1);
        let centre = &self.centres[index];
        (0..centre.len()).map(|i| centre[i] + (0..=i).map(|j| self.factor[i][j] * z[j]).sum::<f64>()).collect()
    }

    /// The mixture's density at `x`, up to the normal's constant (the same for every proposal of a generation).
    pub fn density(&self, x: &[f64]) -> f64 {
        self.centres.iter().zip(&self.weights).map(|(c, w)| w * (-0.5 * mahalanobis(&self.factor, x, c)).exp()).sum()
    }
}

/// The Cholesky factor L (L Lᵀ = A) of a symmetric positive-definite matrix; a pivot that rounding has made
/// non-positive is replaced by a tiny positive one, so a degenerate population still gives a usable kernel.
fn cholesky(a: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    let d = a.len();
    let mut l = vec![vec![0.0; d]; d];
    for i in 0..d {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let pivot = a[i][i] - sum;
                l[i][i] = if pivot > 1e-12 * a[i][i] { pivot.sqrt() } else { (1e-12 * a[i][i]).sqrt().max(1e-300) };
            } else {
                l[i][j] = (a[i][j] - sum) / l[j][j];
            }
        }
    }
    l
}

/// Dimensions the kernel handles without allocating (more fall back to a vector).
const SMALL: usize = 16;

/// |L⁻¹ (x − c)|², by forward substitution: the squared Mahalanobis distance of x from c under L Lᵀ.
fn mahalanobis(l: &[Vec<f64>], x: &[f64], c: &[f64]) -> f64 {
    let d = x.len();
    let mut small = [0.0; SMALL];
    let mut large = Vec::new();
    let y: &mut [f64] = if d <= SMALL {
        &mut small[..d]
    } else {
        large.resize(d, 0.0);
        &mut large
    };
    let mut total = 0.0;
    for i in 0..d {
        let sum: f64 = (0..i).map(|k| l[i][k] * y[k]).sum();
        y[i] = (x[i] - c[i] - sum) / l[i][i];
        total += y[i] * y[i];
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_factor_reproduces_the_covariance_and_the_density_peaks_at_a_centre() {
        let l = cholesky(vec![vec![4.0, 2.0], vec![2.0, 3.0]]);
        assert!((l[0][0] - 2.0).abs() < 1e-12 && (l[1][0] - 1.0).abs() < 1e-12);
        assert!((l[1][1] - 2f64.sqrt()).abs() < 1e-12);
        assert!(
            (mahalanobis(&l, &[2.0, 1.0], &[0.0, 0.0]) - 1.0).abs() < 1e-12,
            "(2, 1) is 1 sd along L's first column"
        );
        let kernel = Kernel::new(&[vec![0.0], vec![10.0]], &[3.0, 1.0], &[0.0]);
        // Weighted variance of {0 (¾), 10 (¼)}: 18.75; doubled: 37.5.
        assert!((kernel.factor[0][0] - 37.5f64.sqrt()).abs() < 1e-12);
        assert!(kernel.density(&[0.0]) > kernel.density(&[10.0]));
        assert_eq!(kernel.propose(0.1, &[0.0]), vec![0.0]);
        assert_eq!(kernel.propose(0.9, &[0.0]), vec![10.0]);
        assert!((kernel.propose(0.9, &[1.0])[0] - (10.0 + 37.5f64.sqrt())).abs() < 1e-12);
    }

    #[test]
    fn a_collapsed_population_still_moves_by_its_floor() {
        let kernel = Kernel::new(&[vec![5.0], vec![5.0]], &[1.0, 1.0], &[0.5]);
        assert!((kernel.propose(0.5, &[1.0])[0] - 5.5).abs() < 1e-12);
    }
}
