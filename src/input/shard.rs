//! `--shard K/N`: which files this machine of a CI matrix scans.

/// `--shard K/N`: the K-th of N deterministic shares of the files, chosen
/// by a hash of each file's path, so every machine of a CI matrix picks the
/// same files and together they scan each file exactly once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which share, from 1.
    pub index: u32,
    /// How many shares.
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not K/N (for example 2/4)"))?;
        let index: u32 = k
            .trim()
            .parse()
            .map_err(|_| format!("`{k}` is not a number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("`{n}` is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard {index}/{count}: K must be between 1 and N"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the file shown as `path` belongs to this shard.
    pub fn contains(&self, path: &str) -> bool {
        let normalized = path.replace('\\', "/");
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in normalized.trim_start_matches("./").as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h % u64::from(self.count) == u64::from(self.index - 1)
    }
}
