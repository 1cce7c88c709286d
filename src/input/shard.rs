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

/// Why a `--shard` value is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    /// No `/`.
    #[error("`{0}` is not K/N (for example 2/4)")]
    NotKOverN(String),
    /// K or N is not a number.
    #[error("`{0}` is not a number")]
    NotANumber(String),
    /// K is 0 or above N.
    #[error("shard {0}/{1}: K must be between 1 and N")]
    OutOfRange(u32, u32),
}

impl std::str::FromStr for Shard {
    type Err = ShardError;
    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| ShardError::NotKOverN(s.to_string()))?;
        let number = |t: &str| {
            t.trim()
                .parse::<u32>()
                .map_err(|_| ShardError::NotANumber(t.to_string()))
        };
        let (index, count) = (number(k)?, number(n)?);
        if count == 0 || index == 0 || index > count {
            return Err(ShardError::OutOfRange(index, count));
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
