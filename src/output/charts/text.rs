//! Text in PNG charts, drawn with `ab_glyph` from the embedded DejaVu Sans.
//!
//! plotters' own `ab_glyph` text drawing places each glyph's bitmap at the pen position without its left side
//! bearing and rounds the pen position per glyph, so letters run into each other ("El Paso" reads "ElPaso").
//! [`GlyphText`] wraps a backend and draws text itself: glyphs positioned at their exact outline bounds, with
//! kerning, coverage-blended. Paths are passed on [`straightened`](super::raster::straightened), so that thick
//! flat lines stay flat (see `raster`). Everything else goes straight to the wrapped backend.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle,
};

fn fonts() -> &'static (FontRef<'static>, FontRef<'static>) {
    static FONTS: OnceLock<(FontRef<'static>, FontRef<'static>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let load = |bytes: &'static [u8]| FontRef::try_from_slice(bytes).expect("the embedded font is valid");
        (load(dejavu::sans::regular()), load(dejavu::sans::bold()))
    })
}

fn font_for(style: FontStyle) -> &'static FontRef<'static> {
    let (regular, bold) = fonts();
    if matches!(style, FontStyle::Bold) { bold } else { regular }
}

/// Width of `text` in pixels at `size`: advances plus kerning, as plotters measures it.
fn width(font: &FontRef<'static>, size: f64, text: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size as f32));
    let mut x = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            x += scaled.kern(p, id);
        }
        x += scaled.h_advance(id);
        previous = Some(id);
    }
    x
}

/// The height plotters assumes for a line of text of `size` (its layout box), so that layouts match the SVG.
fn line_height(size: f64) -> i32 {
    (size / 1.24) as i32
}

/// A backend whose text is drawn by [`GlyphText::draw_text`]; everything else is delegated.
pub struct GlyphText<B>(pub B);

impl<B: DrawingBackend> DrawingBackend for GlyphText<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(super::raster::straightened(path), style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let w = width(font_for(style.style()), style.size(), text);
        Ok((w.ceil() as u32, line_height(style.size()) as u32))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let font = font_for(style.style());
        let size = style.size();
        let scaled = font.as_scaled(PxScale::from(size as f32));
        let box_width = width(font, size, text);
        let box_height = line_height(size) as f32;
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -box_width / 2.0,
            HPos::Right => -box_width,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -box_height / 2.0,
            VPos::Bottom => -box_height,
        };
        // Baseline inside the layout box so that capitals fill it and descenders hang just below.
        let baseline = dy + 0.66 * size as f32;
        let transform = style.transform();
        let (w, h) = self.get_size();
        let mut pen = dx;
        let mut previous = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = previous {
                pen += scaled.kern(p, id);
            }
            previous = Some(id);
            let glyph = id.with_scale_and_position(PxScale::from(size as f32), point(pen, baseline));
            pen += scaled.h_advance(id);
            let Some(outline) = font.outline_glyph(glyph) else { continue };
            let bounds = outline.px_bounds();
            let mut pixels = Vec::new();
            outline.draw(|x, y, coverage| pixels.push((x, y, coverage)));
            for (x, y, coverage) in pixels {
                if coverage <= 0.0 {
                    continue;
                }
                let (tx, ty) = transform.transform(bounds.min.x as i32 + x as i32, bounds.min.y as i32 + y as i32);
                let (px, py) = (pos.0 + tx, pos.1 + ty);
                if px >= 0 && py >= 0 && (px as u32) < w && (py as u32) < h {
                    let alpha = color.alpha * f64::from(coverage.min(1.0));
                    self.0.draw_pixel((px, py), BackendColor { alpha, rgb: color.rgb })?;
                }
            }
        }
        Ok(())
    }
}
