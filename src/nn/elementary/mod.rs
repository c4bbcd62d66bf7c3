//! eˣ and tanh x for the activations, written out so that they cost a few
//! nanoseconds in wasm too (where `f64::exp` and `f64::tanh` are software
//! routines of about 30 ns a call). Both agree with the standard library to
//! within a few units in the last place (tested over the whole range).
//!
//! eˣ by the method of most libms: x = m·ln 2 + (j/64)·ln 2 + r with integers m and
//! j ∈ 0 … 63 and |r| ≤ ln 2 / 128, so that eˣ = 2ᵐ · 2^(j/64) · eʳ, where
//! 2^(j/64) comes from a table (to twice double precision) and eʳ − 1 from its
//! Taylor polynomial of degree 6 (truncation below 1e-17 relative).
//!
//! tanh x by the addition theorem: x = k/16 + r with an integer k and
//! |r| ≤ 1/32, so that tanh x = (t + τ)/(1 + t·τ) with t = tanh(k/16) from a
//! table (correctly rounded) and τ = tanh r from its Taylor polynomial of
//! degree 9 (truncation below 1e-17 relative). Near 0 (k = 0) it is τ itself.
//!
//! Each is written for a pair of numbers, without branches, so that the
//! activations of a layer are computed two at a time in f64x2 SIMD lanes
//! (WebAssembly's simd128, SSE2 natively); a number alone is a pair of equal
//! lanes. Each lane's result is exactly what the same operations give one number.
//!
//! Inside a loop, V8 builds each SIMD constant afresh at every use (three
//! instructions: a 64-bit move, a move to a SIMD register and a copy to the
//! other lane), eleven for each pair of tanh, more than the arithmetic itself.
//! So a loop of tanh reads the constants from memory once, before it starts
//! ([`TanhConstants::for_a_loop`]), as numbers the compiler cannot see into,
//! and they stay in registers: the loop is about half the instructions.
//!
//! x is held within bounds by WebAssembly's f64x2.pmin and f64x2.pmax (b where
//! b < a, else a; b where a < b, else a), one instruction each: written as
//! comparisons, the compiler makes them four comparisons and selects, lane by
//! lane. Natively they are those comparisons.

mod tanh_table;

/// ln 2 / 64 split in two (fdlibm's ln 2 constants over 64): the first holds
/// 32 significant bits, so k·LN2_64_HI is exact for the k here; the second the rest.
const LN2_64_HI: f64 = 6.931_471_803_691_238e-1 / 64.0;
const LN2_64_LO: f64 = 1.908_214_929_270_587_7e-10 / 64.0;
/// 64 / ln 2.
const INV_LN2_64: f64 = 64.0 * std::f64::consts::LOG2_E;
/// Adding and subtracting 1.5·2⁵² rounds a double below 2⁵¹ to the nearest integer.
const ROUNDER: f64 = 6_755_399_441_055_744.0;
/// Above this eˣ overflows; below the other it rounds to 0.
const EXP_MAX: f64 = 709.782_712_893_384;
const EXP_MIN: f64 = -745.133_219_101_941_2;
/// tanh x rounds to ±1 beyond this.
const TANH_ONE: f64 = 19.1;

/// 2^(j/64) for j = 0 … 63 as hi + lo: hi rounded to a double, lo the rest.
const TWO_TO_J_64: [(f64, f64); 64] = [
    (1.0, 0.0),
    (1.0108892860517005, -1.5234778603368577e-17),
    (1.0218971486541166, 5.109225028973444e-17),
    (1.0330248790212284, 7.600838874027088e-18),
    (1.0442737824274138, 8.551889705537965e-17),
    (1.0556451783605572, 1.759325738772092e-18),
    (1.0671404006768237, -7.899853966841582e-17),
    (1.0787607977571199, -6.656660436056593e-17),
    (1.0905077326652577, -3.046782079812471e-17),
    (1.102382583307841, 5.2660368715706944e-17),
    (1.1143867425958924, 1.0410278456845571e-16),
    (1.1265216186082418, 5.165856758795457e-17),
    (1.1387886347566916, 8.912812676025408e-17),
    (1.1511892299529827, 3.250710218863827e-17),
    (1.1637248587775775, 3.8292048369240935e-17),
    (1.1763969916502812, 5.554203254218079e-17),
    (1.189207115002721, 3.982015231465646e-17),
    (1.202156731452703, 6.644981499252301e-17),
    (1.215247359980469, -7.712630692681488e-17),
    (1.22848053610687, -1.89878163130253e-17),
    (1.241857812073484, 4.658027591836937e-17),
    (1.255380757024691, -6.7113898212968784e-18),
    (1.2690509571917332, 2.667932131342186e-18),
    (1.2828700160787783, 1.713594918243561e-17),
    (1.2968395546510096, 2.5382502794888315e-17),
    (1.3109612115247644, -7.181536135519454e-17),
    (1.3252366431597413, -2.8587312100388614e-17),
    (1.339667524053303, 8.927282594831732e-17),
    (1.3542555469368927, 7.70094837980299e-17),
    (1.3690024229745905, 9.593797919118849e-17),
    (1.383909881963832, -6.770511658794786e-17),
    (1.3989796725383112, -9.614213209051323e-17),
    (std::f64::consts::SQRT_2, -9.667293313452913e-17),
    (1.42961333839197, -1.2031642489053655e-17),
    (1.4451808069770467, -3.0237581349939873e-17),
    (1.460917794180647, -5.600377186075216e-17),
    (1.4768261459394993, -3.483994556892796e-17),
    (1.4929077282912648, 1.4192920154284036e-17),
    (1.5091644275934228, -1.016455327754295e-16),
    (1.5255981507445384, -1.1024941712342561e-16),
    (1.5422108254079407, 7.949834809697621e-17),
    (1.559004400237837, 3.7812070533575275e-17),
    (1.5759808451078865, -1.0136916471278304e-17),
    (1.593142151342267, -1.0094406542311964e-16),
    (1.6104903319492543, 2.4707192569797888e-17),
    (1.6280274218573478, -6.712955084707084e-17),
    (1.645755478153965, -1.0125679913674773e-16),
    (1.6636765803267364, 5.8909926967131e-17),
    (1.681792830507429, 8.199010020581497e-17),
    (1.7001063537185235, -8.0237193703977e-18),
    (1.718619298122478, -1.851380418263111e-17),
    (1.7373338352737062, 3.164389299292957e-17),
    (1.7562521603732995, 2.960140695448873e-17),
    (1.7753764925265212, 6.429731796556572e-17),
    (1.7947090750031072, 1.8227458427912087e-17),
    (1.8142521755003989, -9.969531538920349e-17),
    (1.8340080864093424, 3.283107224245627e-17),
    (1.8539791250833855, 9.761887490727594e-17),
    (1.8741676341103, -6.122763413004143e-17),
    (1.8945759815869656, 3.4034035352165297e-17),
    (1.9152065613971474, -1.0619946056195963e-16),
    (1.9360617934922943, 1.0332385960676326e-16),
    (1.9571441241754002, 8.960767791036668e-17),
    (1.978456026387951, 4.0388753109278167e-17),
];

/// Two numbers worked on side by side: every operation below is done on both
/// lanes alike, in the same order, so that one two-lane SIMD instruction
/// (f64x2) can do it, and each lane's result is what one number alone gives.
pub type Pair = [f64; 2];

/// The pair whose lane i is f(i).
#[inline(always)]
fn each<T>(f: impl Fn(usize) -> T) -> [T; 2] {
    [f(0), f(1)]
}

/// b where b < a, else a, lane by lane (WebAssembly's f64x2.pmin).
#[inline(always)]
fn pmin(a: Pair, b: Pair) -> Pair {
    #[cfg(target_feature = "simd128")]
    {
        use core::arch::wasm32::{f64x2, f64x2_extract_lane, f64x2_pmin};
        let v = f64x2_pmin(f64x2(a[0], a[1]), f64x2(b[0], b[1]));
        [f64x2_extract_lane::<0>(v), f64x2_extract_lane::<1>(v)]
    }
    #[cfg(not(target_feature = "simd128"))]
    each(|i| if b[i] < a[i] { b[i] } else { a[i] })
}

/// b where a < b, else a, lane by lane (WebAssembly's f64x2.pmax).
#[inline(always)]
fn pmax(a: Pair, b: Pair) -> Pair {
    #[cfg(target_feature = "simd128")]
    {
        use core::arch::wasm32::{f64x2, f64x2_extract_lane, f64x2_pmax};
        let v = f64x2_pmax(f64x2(a[0], a[1]), f64x2(b[0], b[1]));
        [f64x2_extract_lane::<0>(v), f64x2_extract_lane::<1>(v)]
    }
    #[cfg(not(target_feature = "simd128"))]
    each(|i| if a[i] < b[i] { b[i] } else { a[i] })
}

/// y = m·ln 2 + (j/64)·ln 2 + r, lane by lane: returns m, j and eʳ − 1. For |y| ≤ 746.
#[inline(always)]
fn reduce(y: Pair) -> ([i32; 2], [usize; 2], Pair) {
    // y·64/ln 2 + 1.5·2⁵² holds the nearest integer k in its low bits.
    let rounded = each(|i| y[i] * INV_LN2_64 + ROUNDER);
    let k = each(|i| rounded[i] - ROUNDER);
    let r = each(|i| (y[i] - k[i] * LN2_64_HI) - k[i] * LN2_64_LO);
    // eʳ − 1 = r + r²/2! + … + r⁶/6!, grouped to shorten the chain of dependent operations.
    let r2 = each(|i| r[i] * r[i]);
    let q =
        each(|i| r[i] + r2[i] * ((1.0 / 2.0 + r[i] * (1.0 / 6.0)) + r2[i] * ((1.0 / 24.0 + r[i] * (1.0 / 120.0)) + r2[i] * (1.0 / 720.0))));
    let k = each(|i| rounded[i].to_bits() as i32);
    (each(|i| k[i] >> 6), each(|i| (k[i] & 63) as usize), q)
}

/// 2ⁿ for an integer n in −1022 … 1023.
#[inline(always)]
fn power_of_two(n: i32) -> f64 {
    f64::from_bits(((n + 1023) as u64) << 52)
}

/// eˣ of both lanes.
#[inline(always)]
pub fn exp_pair(x: Pair) -> Pair {
    // Inside the range, so that the integers of `reduce` stay small; the lanes outside are mended below.
    let y = each(|i| x[i].clamp(EXP_MIN, EXP_MAX));
    let (m, j, q) = reduce(y);
    let table = each(|i| TWO_TO_J_64[j[i]]);
    let p = each(|i| table[i].0 + (table[i].1 + table[i].0 * q[i]));
    // p·2ᵐ in two factors, so that neither over- nor underflows.
    let half = each(|i| m[i] / 2);
    let e = each(|i| p[i] * power_of_two(half[i]) * power_of_two(m[i] - half[i]));
    each(|i| {
        if x[i].is_nan() {
            x[i]
        } else if x[i] > EXP_MAX {
            f64::INFINITY
        } else if x[i] < EXP_MIN {
            0.0
        } else {
            e[i]
        }
    })
}

/// eˣ.
pub fn exp(x: f64) -> f64 {
    exp_pair([x, x])[0]
}

/// tanh(k/16) for k = 0 … 511: the table, then 1.
const fn tanh_of_sixteenths(k: usize) -> f64 {
    if k < tanh_table::TANH_OF_SIXTEENTHS.len() {
        tanh_table::TANH_OF_SIXTEENTHS[k]
    } else {
        1.0
    }
}

/// tanh(k/16) for k = −512 … 511, at k mod 1024 (the low bits of k in two's
/// complement). tanh 0 is held as −0, so that t + τ is −0 when τ is −0 (at x = −0).
const TANH_AT: [f64; 1024] = {
    let mut table = [0.0; 1024];
    let mut i = 0;
    while i < 1024 {
        table[i] = if i < 512 { tanh_of_sixteenths(i) } else { -tanh_of_sixteenths(1024 - i) };
        i += 1;
    }
    table[0] = -0.0;
    table
};

/// Coefficient `c` of rⁿ in tanh's Taylor series over 16ⁿ (exact), for the polynomial in s = 16·r.
const fn over_16_to_the(c: f64, n: u32) -> f64 {
    c / (1u64 << (4 * n)) as f64
}
const TANH_C3: f64 = over_16_to_the(-1.0 / 3.0, 3);
const TANH_C5: f64 = over_16_to_the(2.0 / 15.0, 5);
const TANH_C7: f64 = over_16_to_the(-17.0 / 315.0, 7);
const TANH_C9: f64 = over_16_to_the(62.0 / 2835.0, 9);

/// tanh of both lanes, with the constants `c`: (t + τ)/(1 + t·τ) with t = tanh(k/16) for the integer
/// k nearest 16x and τ = tanh r, r = x − k/16 (see the module's notes). Both
/// signs alike: tanh(−k/16) is −tanh(k/16) in the table, τ is odd in r, so the
/// result is exactly odd. r is worked with as s = 16x − k (exact), the
/// polynomial's coefficients divided by powers of 16 to match (every step is
/// then r's scaled by a power of two: the same rounding). x is held within
/// ±TANH_ONE, where t and the quotient are ±1 exactly, so ±∞ give ±1 with no
/// case of their own; a NaN is not held, and goes through every step to a
/// NaN (its k, whatever it is, reads the table within its 1024 entries).
#[inline(always)]
pub fn tanh_pair_with(c: &TanhConstants, x: Pair) -> Pair {
    let held = pmax(pmin(x, c.top), c.bottom);
    let sixteen_x = each(|i| held[i] * c.sixteen[i]);
    // 16x + 1.5·2⁵² holds the nearest integer k in its low bits.
    let rounded = each(|i| sixteen_x[i] + c.rounder[i]);
    let s = each(|i| sixteen_x[i] - (rounded[i] - c.rounder[i]));
    let t = each(|i| TANH_AT[(rounded[i].to_bits() & 1023) as usize]);
    // tanh r = r − r³/3 + 2r⁵/15 − 17r⁷/315 + 62r⁹/2835, in s = 16r, grouped to shorten the chain of dependent operations.
    let s2 = each(|i| s[i] * s[i]);
    let s4 = each(|i| s2[i] * s2[i]);
    let p = each(|i| (c.c3[i] + s2[i] * c.c5[i]) + s4[i] * (c.c7[i] + s2[i] * c.c9[i]));
    // r·(1 + r²·P), so that τ is −0 at r = −0 (r + r³·P would give +0 there).
    let tau = each(|i| s[i] * (c.sixteenth[i] + s2[i] * p[i]));
    each(|i| (t[i] + tau[i]) / (c.one[i] + t[i] * tau[i]))
}

/// The numbers [`tanh_pair_with`] works with, each in both lanes.
#[derive(Clone, Copy)]
pub struct TanhConstants {
    /// TANH_ONE and −TANH_ONE, the bounds x is held within.
    top: Pair,
    bottom: Pair,
    sixteen: Pair,
    rounder: Pair,
    /// The polynomial's coefficients in s.
    c3: Pair,
    c5: Pair,
    c7: Pair,
    c9: Pair,
    sixteenth: Pair,
    one: Pair,
}

const TANH: TanhConstants = TanhConstants {
    top: [TANH_ONE; 2],
    bottom: [-TANH_ONE; 2],
    sixteen: [16.0; 2],
    rounder: [ROUNDER; 2],
    c3: [TANH_C3; 2],
    c5: [TANH_C5; 2],
    c7: [TANH_C7; 2],
    c9: [TANH_C9; 2],
    sixteenth: [1.0 / 16.0; 2],
    one: [1.0; 2],
};

/// [`TANH`] in memory, for [`TanhConstants::for_a_loop`].
static TANH_IN_MEMORY: TanhConstants = TANH;

impl TanhConstants {
    /// The constants read from memory, as numbers the compiler cannot see
    /// into: read once before a loop, they stay in registers through it
    /// (see the module's notes).
    #[inline(always)]
    pub fn for_a_loop() -> TanhConstants {
        *std::hint::black_box(&TANH_IN_MEMORY)
    }
}

/// tanh of both lanes, with the constants as constants.
#[inline(always)]
fn tanh_pair(x: Pair) -> Pair {
    tanh_pair_with(&TANH, x)
}

/// tanh x.
pub fn tanh(x: f64) -> f64 {
    tanh_pair([x, x])[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// |ours − std| in units of the spacing of doubles at std's value.
    fn ulps(ours: f64, reference: f64) -> f64 {
        if ours == reference {
            return 0.0;
        }
        let spacing = f64::from_bits(reference.abs().to_bits() + 1) - reference.abs();
        (ours - reference).abs() / spacing.max(f64::MIN_POSITIVE * f64::EPSILON)
    }

    /// x over [lo, hi] in `n` even steps.
    fn sweep(lo: f64, hi: f64, n: usize) -> impl Iterator<Item = f64> {
        (0..=n).map(move |i| lo + (hi - lo) * i as f64 / n as f64)
    }

    #[test]
    fn the_table_holds_two_to_the_j_over_64() {
        for (j, (hi, lo)) in TWO_TO_J_64.iter().enumerate() {
            let reference = (j as f64 / 64.0).exp2();
            assert!(ulps(*hi, reference) <= 1.0, "2^({j}/64)");
            assert!(lo.abs() <= 0.5 * f64::EPSILON * hi, "2^({j}/64): lo {lo}");
        }
    }

    /// Each entry is tanh(k/16) within an ulp of the standard library's (itself within an ulp), and ±1 where that is.
    #[test]
    fn the_table_holds_tanh_of_sixteenths() {
        for (i, t) in TANH_AT.iter().enumerate() {
            let k = if i < 512 { i as f64 } else { i as f64 - 1024.0 };
            let reference = (k / 16.0).tanh();
            assert!(ulps(*t, reference) <= 1.0, "tanh({k}/16): {t}, std {reference}");
            assert_eq!(
                t.abs() == 1.0,
                k.abs() >= tanh_table::TANH_OF_SIXTEENTHS.len() as f64,
                "tanh({k}/16) rounds to ±1 from the table's end"
            );
        }
        assert_eq!(TANH_AT[0].to_bits(), (-0f64).to_bits());
    }

    #[test]
    fn exp_agrees_with_std_over_its_whole_range() {
        let mut worst: f64 = 0.0;
        for x in sweep(-745.0, 709.7, 2_000_000).chain(sweep(-1.0, 1.0, 200_000)) {
            let (ours, std) = (exp(x), x.exp());
            if std >= f64::MIN_POSITIVE {
                worst = worst.max(ulps(ours, std));
                assert!(((ours - std) / std).abs() <= 1e-12, "exp({x}) = {ours}, std {std}");
            } else {
                assert!((ours - std).abs() <= 4.0 * f64::MIN_POSITIVE * f64::EPSILON, "exp({x}) = {ours}, std {std}");
            }
        }
        assert!(worst <= 4.0, "worst {worst} ulp");
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(f64::INFINITY), f64::INFINITY);
        assert_eq!(exp(710.0), f64::INFINITY);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp(-746.0), 0.0);
        assert!(exp(f64::NAN).is_nan());
    }

    /// pmin and pmax are WebAssembly's: b only where it is strictly below
    /// (above) a, else a, so that a tie of −0 and +0 gives a, and a NaN in a stays.
    #[test]
    fn pmin_and_pmax_take_b_only_where_it_is_strictly_beyond_a() {
        assert_eq!(pmin([3.0, 1.0], [2.0, 2.0]), [2.0, 1.0]);
        assert_eq!(pmax([3.0, 1.0], [2.0, 2.0]), [3.0, 2.0]);
        let tie_low = pmin([-0.0, f64::NAN], [0.0, 1.0]);
        assert!(tie_low[0] == 0.0 && tie_low[0].is_sign_negative() && tie_low[1].is_nan(), "{tie_low:?}");
        let tie_high = pmax([0.0, f64::NAN], [-0.0, 1.0]);
        assert!(tie_high[0] == 0.0 && tie_high[0].is_sign_positive() && tie_high[1].is_nan(), "{tie_high:?}");
    }

    /// Each lane of a pair is computed as that number alone, bit for bit, whatever the other lane holds.
    #[test]
    fn each_lane_of_a_pair_is_its_number_alone() {
        let specials =
            [0.0, -0.0, 1e-310, -3e-300, 0.5, -2.0, 19.0, 19.2, -40.0, 700.0, 710.0, -746.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
        let numbers: Vec<f64> = specials.into_iter().chain(sweep(-30.0, 30.0, 997)).collect();
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
        for (i, &x) in numbers.iter().enumerate() {
            let y = numbers[(i * 7 + 3) % numbers.len()];
            let (t, e) = (tanh_pair([x, y]), exp_pair([x, y]));
            assert!(same(t[0], tanh(x)) && same(t[1], tanh(y)), "tanh of ({x}, {y}): {t:?}");
            assert!(same(e[0], exp(x)) && same(e[1], exp(y)), "exp of ({x}, {y}): {e:?}");
        }
    }

    #[test]
    fn tanh_agrees_with_std_over_its_whole_range() {
        let mut worst: f64 = 0.0;
        let tiny = (-320..0).map(|e| 10f64.powi(e)).flat_map(|x| [x, -x, 3.7 * x]);
        for x in sweep(-25.0, 25.0, 2_000_000).chain(sweep(-0.2, 0.2, 200_000)).chain(tiny) {
            let (ours, std) = (tanh(x), x.tanh());
            worst = worst.max(ulps(ours, std));
            assert!(((ours - std) / std).abs() <= 1e-12 || ours == std, "tanh({x}) = {ours}, std {std}");
        }
        assert!(worst <= 3.0, "worst {worst} ulp");
        assert_eq!(tanh(0.0).to_bits(), 0f64.to_bits());
        assert_eq!(tanh(-0.0).to_bits(), (-0f64).to_bits());
        assert_eq!((tanh(f64::INFINITY), tanh(f64::NEG_INFINITY), tanh(1e300)), (1.0, -1.0, 1.0));
        assert!(tanh(f64::NAN).is_nan());
    }
}
