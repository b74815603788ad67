//! The home-screen icon: an open book on the theme's colour, drawn here so that a site
//! needs no image of its own to install. Full-bleed, so it also works as a maskable icon.

/// `(size, PNG bytes)` for the sizes the manifest lists. They never change: drawn once per
/// run, while the pages are rendered ([`super::Renderer::render`]).
pub fn icons() -> &'static [(u32, Vec<u8>)] {
    static ICONS: std::sync::LazyLock<Vec<(u32, Vec<u8>)>> = std::sync::LazyLock::new(|| {
        [192, 512]
            .into_iter()
            .map(|size| (size, png(size)))
            .collect()
    });
    &ICONS
}

fn png(size: u32) -> Vec<u8> {
    const BACKGROUND: [u8; 3] = [0x0b, 0x4f, 0x6c];
    const PAGE: [u8; 3] = [0xff, 0xff, 0xff];
    const LINE: [u8; 3] = [0x9c, 0xc3, 0xd5];
    let s = size as f32;
    let mut pixels = Vec::with_capacity((size * size * 3) as usize);
    for y in 0..size {
        for x in 0..size {
            let (fx, fy) = (x as f32 / s, y as f32 / s);
            // Each page droops a little towards the spine, like an open book.
            let droop = 0.04 * (1.0 - (fx - 0.5).abs() / 0.28).clamp(0.0, 1.0);
            let on_page = (0.22..0.78).contains(&fx)
                && fy >= 0.30 + droop
                && fy <= 0.70 + droop
                && (fx - 0.5).abs() > 0.012;
            // Lines of text on each page.
            let text_line = on_page
                && (fx - 0.5).abs() > 0.06
                && (0.27..0.73).contains(&fx)
                && ((fy - droop - 0.38) / 0.07).fract().abs() < 0.18
                && fy - droop < 0.64;
            let colour = if text_line {
                LINE
            } else if on_page {
                PAGE
            } else {
                BACKGROUND
            };
            pixels.extend_from_slice(&colour);
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = ::png::Encoder::new(&mut out, size, size);
        encoder.set_color(::png::ColorType::Rgb);
        encoder.set_depth(::png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .expect("writing a PNG header into memory cannot fail");
        writer
            .write_image_data(&pixels)
            .expect("the pixel buffer matches the header");
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn icons_are_pngs_of_their_size() {
        for (size, bytes) in super::icons() {
            assert_eq!(&bytes[1..4], b"PNG");
            // Width and height, big-endian, in the IHDR chunk.
            assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), *size);
            assert_eq!(u32::from_be_bytes(bytes[20..24].try_into().unwrap()), *size);
        }
    }
}
