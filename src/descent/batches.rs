//! Which rows of the regression data each update uses: every row (the seed's
//! full batch), or mini-batches of a chosen size drawn pass by pass from a
//! seeded shuffle.

use crate::nn::data::shuffle;
use crate::random::Rng;
use crate::tr;

/// How a regression run picks the rows of update k (k = 0 first).
#[derive(Clone, Debug, PartialEq)]
pub enum Batches {
    /// Every row, in order: the seed's rule.
    Full,
    /// `size` rows an update: each pass (epoch) over the m rows takes a new
    /// seeded shuffle in pieces of `size`, the last piece shorter when `size`
    /// does not divide m.
    Seeded { size: usize, seed: u64 },
    /// The rows of each update as listed, for reproducing given batches;
    /// after the list, every row.
    Listed(Vec<Vec<usize>>),
}

impl Batches {
    /// Mini-batches of `size` rows out of `m`, checked: `size` is 1 … m (m is the full batch).
    pub fn seeded(size: usize, seed: u64, m: usize) -> Result<Batches, String> {
        if size == 0 || size > m {
            return Err(tr!("the batch size must be between 1 and m = {m}, the number of points (got {size})", m = m, size = size));
        }
        Ok(if size == m { Batches::Full } else { Batches::Seeded { size, seed } })
    }

    /// The batch size (m for the full batch).
    pub fn size(&self, m: usize) -> usize {
        match self {
            Batches::Seeded { size, .. } => *size,
            _ => m,
        }
    }

    /// Updates per pass over the m rows: ⌈m / size⌉.
    pub fn per_epoch(&self, m: usize) -> usize {
        m.div_ceil(self.size(m).max(1)).max(1)
    }

    /// The rows update k uses, or None for every row in order.
    pub fn rows(&self, k: usize, m: usize) -> Option<Vec<usize>> {
        match self {
            Batches::Full => None,
            Batches::Listed(list) => list.get(k).cloned(),
            &Batches::Seeded { size, seed } => {
                let per_epoch = self.per_epoch(m);
                let (epoch, piece) = (k / per_epoch, k % per_epoch);
                let mut order: Vec<usize> = (0..m).collect();
                shuffle(&mut order, &mut Rng::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ epoch as u64));
                Some(order[piece * size..((piece + 1) * size).min(m)].to_vec())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_pass_takes_every_row_once_in_pieces_of_the_size() {
        let batches = Batches::seeded(8, 3, 25).unwrap();
        assert_eq!(batches.per_epoch(25), 4);
        for epoch in 0..3 {
            let pieces: Vec<Vec<usize>> = (0..4).map(|j| batches.rows(4 * epoch + j, 25).unwrap()).collect();
            assert_eq!(pieces.iter().map(Vec::len).collect::<Vec<_>>(), [8, 8, 8, 1], "the last piece is shorter");
            let mut all: Vec<usize> = pieces.concat();
            all.sort_unstable();
            assert_eq!(all, (0..25).collect::<Vec<_>>(), "epoch {epoch} takes every row once");
        }
        assert_ne!(batches.rows(0, 25), batches.rows(4, 25), "a new shuffle each pass");
        assert_eq!(batches.rows(5, 25), Batches::seeded(8, 3, 25).unwrap().rows(5, 25), "seeded: the same rows again");
        assert_ne!(batches.rows(0, 25), Batches::seeded(8, 4, 25).unwrap().rows(0, 25));
    }

    #[test]
    fn the_full_batch_is_every_row_and_sizes_outside_one_to_m_are_refused() {
        assert_eq!(Batches::seeded(30, 1, 30), Ok(Batches::Full));
        assert_eq!(Batches::Full.rows(7, 30), None);
        for bad in [0, 31] {
            assert!(Batches::seeded(bad, 1, 30).unwrap_err().contains("between 1 and m = 30"), "{bad}");
        }
        let listed = Batches::Listed(vec![vec![2, 0], vec![1]]);
        assert_eq!((listed.rows(1, 3), listed.rows(2, 3)), (Some(vec![1]), None));
    }
}
