//! Text as bytes on disk: how much casebook reads of one file, and UTF-16 told apart from
//! UTF-8. The lowest layer: it knows nothing of diagnostics, so that they can use it to show
//! a file's lines.

/// The largest text file casebook reads (a page, `casebook.yaml`, `referrals.yaml`):
/// 128 KB, about 20,000 words, five times the longest page of the bundled curriculum.
/// Typesetting a page into PDF costs up to 5 KB of memory per byte of Markdown (a page of
/// nothing but table rows), and some shapes cost time that grows with the square of their
/// length (one paragraph of thousands of lines): at this size the worst stays under a GB
/// and a few seconds. A larger file is far more likely a mistake (pictures pasted as
/// text, a whole book) than a page.
pub const MAX_TEXT_BYTES: u64 = 128 * 1024;

/// Whether `bytes` are UTF-16, and if so whether little-endian, and how many bytes of
/// byte-order mark to skip. Without a mark, UTF-16 shows as every other one of the first
/// bytes being NUL, as in `-\0-\0-\0` (little-endian) or `\0-\0-\0-` (big-endian).
pub fn utf16_order(bytes: &[u8]) -> Option<(bool, usize)> {
    let head = &bytes[..bytes.len().min(64)];
    let nul_at =
        |first: usize| head.len() >= 4 && head.iter().skip(first).step_by(2).all(|b| *b == 0);
    match head {
        [0xFF, 0xFE, ..] => Some((true, 2)),
        [0xFE, 0xFF, ..] => Some((false, 2)),
        _ if nul_at(1) => Some((true, 0)),
        _ if nul_at(0) => Some((false, 0)),
        _ => None,
    }
}

/// The text of a UTF-16 file, decoded for showing in messages; `None` when `bytes` are
/// not UTF-16.
pub fn utf16_lossy(bytes: &[u8]) -> Option<String> {
    let (little, skip) = utf16_order(bytes)?;
    let units: Vec<u16> = bytes[skip..]
        .chunks_exact(2)
        .map(|pair| {
            let pair = [pair[0], pair[1]];
            if little {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        })
        .collect();
    Some(String::from_utf16_lossy(&units))
}
