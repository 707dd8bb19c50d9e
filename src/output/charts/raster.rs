//! Thick lines in PNG charts drawn as straight as in the SVG.
//!
//! plotters' bitmap backend turns a path wider than a pixel into a polygon, vertex by vertex. Where three
//! consecutive vertices lie on one straight line it places the offset vertex by truncating (`as i32`) instead of
//! rounding, as it does at every other vertex and at the path's ends; so on a flat run of a median the polygon's
//! edge steps by a pixel between the last interior vertex and the (rounded) end, and the line seems to dip in
//! the last segment (and rise in the first). Vertices in the middle of a straight run add nothing to the path:
//! [`straightened`] drops them, so the bitmap backend never takes that branch. The SVG backend writes the path as
//! given and needs none of this.

use plotters_backend::BackendCoord;

/// The path without vertices that lie within a straight run (same direction before and after them).
pub(super) fn straightened(path: impl IntoIterator<Item = BackendCoord>) -> Vec<BackendCoord> {
    let mut out: Vec<BackendCoord> = Vec::new();
    for p in path {
        if out.last() == Some(&p) {
            continue;
        }
        if let [.., a, b] = out[..] {
            let (u, v) = ((i64::from(b.0 - a.0), i64::from(b.1 - a.1)), (i64::from(p.0 - b.0), i64::from(p.1 - b.1)));
            let collinear = u.0 * v.1 - u.1 * v.0 == 0;
            let onwards = u.0 * v.0 + u.1 * v.1 > 0;
            if collinear && onwards {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use plotters::prelude::*;

    use super::*;

    #[test]
    fn vertices_inside_straight_runs_are_dropped_and_corners_kept() {
        let flat = [(0, 10), (10, 10), (20, 10), (30, 10)];
        assert_eq!(straightened(flat), vec![(0, 10), (30, 10)]);
        let bend = [(0, 0), (10, 10), (20, 20), (30, 20), (40, 20), (40, 20)];
        assert_eq!(straightened(bend), vec![(0, 0), (20, 20), (40, 20)]);
        // Doubling back is a corner, not a straight run.
        assert_eq!(straightened([(0, 0), (10, 0), (5, 0)]), vec![(0, 0), (10, 0), (5, 0)]);
    }

    /// The rows a thick flat line covers in pixel column `x`.
    fn rows_covered(pixels: &[u8], width: usize, x: usize) -> Vec<usize> {
        (0..pixels.len() / 3 / width).filter(|y| pixels[3 * (y * width + x)] < 128).collect()
    }

    #[test]
    fn a_thick_flat_line_in_a_png_is_equally_thick_from_end_to_end() {
        let (width, height) = (200usize, 40usize);
        let mut pixels = vec![255u8; width * height * 3];
        {
            let backend =
                super::super::text::GlyphText(BitMapBackend::with_buffer(&mut pixels, (width as u32, height as u32)));
            let root = backend.into_drawing_area();
            // A median of five equal months, 3 pixels wide: the case that dipped in its last segment.
            let points = vec![(10, 20), (50, 20), (90, 20), (130, 20), (170, 20)];
            root.draw(&PathElement::new(points, BLACK.stroke_width(3))).unwrap();
            root.present().unwrap();
        }
        let middle = rows_covered(&pixels, width, 70);
        assert!(!middle.is_empty());
        for x in [15, 30, 110, 150, 165] {
            assert_eq!(rows_covered(&pixels, width, x), middle, "column {x} differs from the line's middle");
        }
    }
}
