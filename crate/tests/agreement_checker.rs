//! The comparison helper of the agreement tests must itself catch what it is there to catch:
//! a value off by more than the tolerance, a NaN (an unwritten output), a wrong length, a bit
//! difference in a copy — and pass values within tolerance. Runs natively only (no device needed).
#![cfg(not(target_arch = "wasm32"))]

mod agreement;

use agreement::{Checker, BACKWARD, EXACT, FLOOR, FORWARD};

/// Whether `finish` reports a disagreement.
fn fails(f: impl FnOnce(&mut Checker)) -> bool {
    let mut ck = Checker::new("checker self-test");
    f(&mut ck);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ck.finish())).is_err()
}

#[test]
fn relative_error_is_measured_against_the_largest_reference_value() {
    let reference = [2.0, -1.0, 0.0, 1e-9];
    // 1e-4 relative of max|ref| = 2 allows |Δ| up to 2e-4 anywhere, also on the tiny entries.
    let mut ck = Checker::new("scale");
    let rel = ck.close("within", &reference, &[2.0, -1.0, 1.9e-4, 0.0], FORWARD);
    assert!((rel - 0.95e-4).abs() < 1e-6, "rel {rel}");
    ck.finish();
    assert!(fails(|ck| {
        ck.close("beyond", &reference, &[2.0, -1.0, 2.1e-4, 0.0], FORWARD);
    }));
    // The backward bound is ten times looser, not more.
    assert!(!fails(|ck| {
        ck.close("backward within", &reference, &[2.0 + 1.9e-3, -1.0, 0.0, 1e-9], BACKWARD);
    }));
    assert!(fails(|ck| {
        ck.close("backward beyond", &reference, &[2.0 + 2.1e-3, -1.0, 0.0, 1e-9], BACKWARD);
    }));
}

#[test]
fn an_all_zero_reference_is_measured_against_the_floor() {
    assert!(!fails(|ck| {
        ck.close("tiny noise", &[0.0; 3], &[0.0, FLOOR * 0.5e-4, 0.0], FORWARD);
    }));
    assert!(fails(|ck| {
        ck.close("noise", &[0.0; 3], &[0.0, 1e-9, 0.0], FORWARD);
    }));
}

#[test]
fn nan_length_and_bits_fail() {
    // An output the kernel never wrote stays NaN (the bodies pre-fill outputs with NaN).
    assert!(fails(|ck| {
        ck.close("nan on the device", &[1.0, 2.0], &[1.0, f32::NAN], BACKWARD);
    }));
    assert!(fails(|ck| {
        ck.close("nan in the reference", &[f32::NAN, 2.0], &[f32::NAN, 2.0], BACKWARD);
    }));
    assert!(fails(|ck| {
        ck.close("length", &[1.0, 2.0], &[1.0], FORWARD);
    }));
    assert!(fails(|ck| {
        ck.close("exact", &[3.0], &[3.0 + f32::EPSILON * 2.0], EXACT);
    }));
    assert!(fails(|ck| ck.bits("signed zero", &[0.0], &[-0.0])));
    assert!(!fails(|ck| ck.bits("nan survives", &[f32::NAN, -0.0], &[f32::NAN, -0.0])));
    // Every failure is kept, not only the first.
    let mut ck = Checker::new("two");
    ck.close("a", &[1.0], &[2.0], FORWARD);
    ck.close("b", &[1.0], &[3.0], FORWARD);
    let msg = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ck.finish())).unwrap_err();
    let msg = msg.downcast_ref::<String>().expect("a formatted panic message");
    assert!(msg.contains("2 disagreement(s)") && msg.contains("a: ") && msg.contains("b: "), "{msg}");
}
