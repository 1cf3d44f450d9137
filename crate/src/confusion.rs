//! What a classifier gets wrong on the test set: the confusion matrix (how many examples of each
//! true class went to each predicted class), the examples in one of its cells, and the mistakes it
//! was most sure of. Built from the test labels and the softmax probabilities of every test
//! example, so the page's training lab can show them after each epoch for MNIST and
//! Fashion-MNIST alike.
//!
//! The prediction is the most probable class, the first of equal largest values on a tie — as
//! PyTorch's `argmax` does on the CPU, and as the training kernel counts an example correct
//! (`layers::loss::softmax_cross_entropy`):
//!
//! ```text
//! import torch
//! p = torch.tensor([[0.4, 0.4, 0.2], [0.1, 0.45, 0.45], [0.25, 0.25, 0.25], [0.2, 0.3, 0.5]])
//! print(torch.__version__, p.argmax(dim=1).tolist(), p.max(dim=1).indices.tolist())
//! # 2.15.0+cu132 [0, 1, 0, 2] [0, 1, 0, 2]
//! ```

use serde::Serialize;

use crate::check::NotFinite;
use crate::message::{Explain, Message};

/// The test set's labels and probabilities, checked once; every view of them is a method.
#[derive(Clone, Debug)]
pub struct Predictions {
    labels: Vec<u8>,
    /// N × K, row-major: example n's probability of class k at n·K + k.
    probabilities: Vec<f32>,
    classes: usize,
    /// Each example's predicted class (argmax, the first on a tie).
    predicted: Vec<u8>,
}

/// The confusion matrix: `counts[r·K + c]` test examples of true class r were predicted as c.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Confusion {
    pub classes: usize,
    /// K × K, row = true class, column = predicted class.
    pub counts: Vec<u32>,
    /// How many test examples there are of each true class (the rows' sums).
    pub row_totals: Vec<u32>,
    /// Of each true class, the fraction predicted right (recall); `None` for a class with no
    /// test example.
    pub recall: Vec<Option<f32>>,
    pub total: u32,
    /// The diagonal's sum: examples predicted right.
    pub correct: u32,
    /// correct / total (0 for an empty test set).
    pub accuracy: f32,
}

/// One test example as a cell or the mistakes strip shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    /// Its position in the test set.
    pub index: usize,
    pub label: usize,
    pub predicted: usize,
    /// The probability of the predicted class.
    pub confidence: f32,
    /// All K probabilities.
    pub probabilities: Vec<f32>,
}

/// Labels and probabilities that do not make a test set's predictions.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfusionError {
    /// K = 0, or more classes than a label (a byte) can name.
    Classes { classes: usize },
    /// The probabilities are not N × K for N labels.
    Lengths { labels: usize, probabilities: usize, classes: usize },
    /// A label that is not a class index.
    Label { index: usize, label: u8, classes: usize },
    /// A probability that is NaN or infinite (a network that diverged).
    NotFinite(NotFinite),
}

pub mod text {
    crate::templates! {
        CLASSES = "confusion.classes": "a confusion matrix needs between 1 and 256 classes, not {classes}";
        LENGTHS = "confusion.lengths": "{probabilities} probabilities are not {labels} test examples × {classes} classes";
        LABEL = "confusion.label": "test example {index} has label {label}, but there are only {classes} classes";
        PROBABILITIES = "confusion.probabilities": "the test set's probabilities";
    }
}

impl Explain for ConfusionError {
    fn message(&self) -> Message {
        match self {
            ConfusionError::Classes { classes } => Message::new(text::CLASSES).with("classes", classes),
            ConfusionError::Lengths { labels, probabilities, classes } => {
                Message::new(text::LENGTHS).with("probabilities", probabilities).with("labels", labels).with("classes", classes)
            }
            ConfusionError::Label { index, label, classes } => Message::new(text::LABEL).with("index", index).with("label", label).with("classes", classes),
            ConfusionError::NotFinite(e) => e.message(),
        }
    }
}
crate::explained_error!(ConfusionError);

/// The index of the largest value, the first of equal ones (PyTorch's `argmax`).
fn argmax(values: &[f32]) -> usize {
    (1..values.len()).fold(0, |best, k| if values[k] > values[best] { k } else { best })
}

impl Predictions {
    /// Checks that `probabilities` holds K finite values for each of the labels, and that every
    /// label is below K, then predicts each example.
    pub fn new(labels: Vec<u8>, probabilities: Vec<f32>, classes: usize) -> Result<Self, ConfusionError> {
        if classes == 0 || classes > 256 {
            return Err(ConfusionError::Classes { classes });
        }
        if labels.len().checked_mul(classes) != Some(probabilities.len()) {
            return Err(ConfusionError::Lengths { labels: labels.len(), probabilities: probabilities.len(), classes });
        }
        if let Some(index) = labels.iter().position(|&l| l as usize >= classes) {
            return Err(ConfusionError::Label { index, label: labels[index], classes });
        }
        if let Some(index) = probabilities.iter().position(|p| !p.is_finite()) {
            let what = Message::new(text::PROBABILITIES);
            return Err(ConfusionError::NotFinite(NotFinite { what, index: Some(index), value: probabilities[index] }));
        }
        // K ≤ 256, so a class index fits a byte.
        let predicted = probabilities.chunks_exact(classes).map(|row| argmax(row) as u8).collect();
        Ok(Predictions { labels, probabilities, classes, predicted })
    }

    pub fn classes(&self) -> usize {
        self.classes
    }

    /// How many test examples there are.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The confusion matrix of the whole test set.
    pub fn confusion(&self) -> Confusion {
        let k = self.classes;
        let mut counts = vec![0u32; k * k];
        for (&label, &predicted) in self.labels.iter().zip(&self.predicted) {
            counts[label as usize * k + predicted as usize] += 1;
        }
        let row_totals: Vec<u32> = counts.chunks_exact(k).map(|row| row.iter().sum()).collect();
        let recall = (0..k).map(|r| (row_totals[r] > 0).then(|| counts[r * k + r] as f32 / row_totals[r] as f32)).collect();
        let total = self.labels.len() as u32;
        let correct = (0..k).map(|r| counts[r * k + r]).sum();
        let accuracy = if total == 0 { 0.0 } else { correct as f32 / total as f32 };
        Confusion { classes: k, counts, row_totals, recall, total, correct, accuracy }
    }

    /// Example `index` as the page shows it.
    pub fn example(&self, index: usize) -> Example {
        let probabilities = self.probabilities[index * self.classes..(index + 1) * self.classes].to_vec();
        let predicted = self.predicted[index] as usize;
        Example { index, label: self.labels[index] as usize, predicted, confidence: probabilities[predicted], probabilities }
    }

    /// The examples of `matching`, most confident first (the test set's order among equals), at
    /// most `limit` of them.
    fn most_confident(&self, matching: impl Fn(usize, usize) -> bool, limit: usize) -> Vec<Example> {
        let mut found: Vec<usize> = (0..self.len()).filter(|&i| matching(self.labels[i] as usize, self.predicted[i] as usize)).collect();
        let confidence = |i: usize| self.probabilities[i * self.classes + self.predicted[i] as usize];
        // A stable sort: equal confidences keep the test set's order.
        found.sort_by(|&a, &b| confidence(b).total_cmp(&confidence(a)));
        found.into_iter().take(limit).map(|i| self.example(i)).collect()
    }

    /// The test examples of true class `true_class` predicted as `predicted`, most confident first,
    /// at most `limit`. A class beyond K has no examples.
    pub fn cell(&self, true_class: usize, predicted: usize, limit: usize) -> Vec<Example> {
        self.most_confident(|l, p| l == true_class && p == predicted, limit)
    }

    /// The wrong predictions the network was surest of: highest probability of the (wrong)
    /// predicted class first, at most `limit`.
    pub fn confident_mistakes(&self, limit: usize) -> Vec<Example> {
        self.most_confident(|l, p| l != p, limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three classes, six examples: labels and the rows of probabilities.
    fn small() -> Predictions {
        #[rustfmt::skip]
        let probs = vec![
            0.7, 0.2, 0.1,   // 0: true 0, predicted 0
            0.4, 0.4, 0.2,   // 1: true 0, a tie of 0 and 1 → 0
            0.1, 0.3, 0.6,   // 2: true 0, predicted 2 (a mistake at 0.6)
            0.05, 0.9, 0.05, // 3: true 2, predicted 1 (a mistake at 0.9)
            0.2, 0.5, 0.3,   // 4: true 1, predicted 1
            0.1, 0.45, 0.45, // 5: true 2, a tie of 1 and 2 → 1 (a mistake at 0.45)
        ];
        Predictions::new(vec![0, 0, 0, 2, 1, 2], probs, 3).unwrap()
    }

    #[test]
    fn counts_rows_are_true_classes_and_ties_go_to_the_lower_class() {
        let c = small().confusion();
        assert_eq!(c.counts, vec![2, 0, 1, 0, 1, 0, 0, 2, 0]);
        assert_eq!(c.row_totals, vec![3, 1, 2]);
        assert_eq!((c.total, c.correct, c.classes), (6, 3, 3));
        assert_eq!(c.accuracy, 0.5);
        assert_eq!(c.recall, vec![Some(2.0 / 3.0), Some(1.0), Some(0.0)]);
    }

    #[test]
    fn a_cell_lists_its_examples_most_confident_first() {
        let p = small();
        let cell: Vec<(usize, f32)> = p.cell(0, 0, 10).iter().map(|e| (e.index, e.confidence)).collect();
        assert_eq!(cell, vec![(0, 0.7), (1, 0.4)]);
        assert_eq!(p.cell(0, 0, 1).len(), 1, "at most `limit`");
        let e = &p.cell(2, 1, 10)[0];
        assert_eq!(*e, Example { index: 3, label: 2, predicted: 1, confidence: 0.9, probabilities: vec![0.05, 0.9, 0.05] });
        assert_eq!(p.cell(2, 1, 10).iter().map(|e| e.index).collect::<Vec<_>>(), vec![3, 5]);
    }

    #[test]
    fn an_empty_cell_and_a_class_beyond_k_have_no_examples() {
        let p = small();
        assert!(p.cell(1, 0, 10).is_empty());
        assert!(p.cell(3, 0, 10).is_empty());
        assert!(p.cell(0, 7, 10).is_empty());
    }

    #[test]
    fn mistakes_come_surest_first() {
        let m: Vec<(usize, usize, usize)> = small().confident_mistakes(10).iter().map(|e| (e.index, e.label, e.predicted)).collect();
        assert_eq!(m, vec![(3, 2, 1), (2, 0, 2), (5, 2, 1)]);
        assert_eq!(small().confident_mistakes(2).len(), 2);
    }

    #[test]
    fn equal_confidences_keep_the_test_sets_order() {
        let probs = vec![0.2, 0.8, 0.8, 0.2, 0.2, 0.8, 0.8, 0.2];
        let p = Predictions::new(vec![0, 1, 0, 1], probs, 2).unwrap();
        assert_eq!(p.confident_mistakes(10).iter().map(|e| e.index).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
    }

    #[test]
    fn ten_classes_each_example_lands_in_its_cell() {
        // Example i has label i % 10 and puts most of its probability on (i·3) % 10.
        let n = 200;
        let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
        let mut probs = vec![0.0f32; n * 10];
        for i in 0..n {
            for k in 0..10 {
                probs[i * 10 + k] = 0.01;
            }
            probs[i * 10 + (i * 3) % 10] = 0.91 - i as f32 * 1e-4;
        }
        let p = Predictions::new(labels, probs, 10).unwrap();
        let c = p.confusion();
        for r in 0..10 {
            for col in 0..10 {
                let want = (0..n).filter(|i| i % 10 == r && (i * 3) % 10 == col).count() as u32;
                assert_eq!(c.counts[r * 10 + col], want, "cell {r},{col}");
            }
        }
        assert_eq!(c.correct, 40, "labels 0 and 5 are predicted right (3·0 = 0, 3·5 = 15)");
        assert_eq!(c.counts.iter().sum::<u32>(), 200);
        // Within a cell, earlier examples carry the larger probability.
        assert_eq!(p.cell(1, 3, 3).iter().map(|e| e.index).collect::<Vec<_>>(), vec![1, 11, 21]);
        assert_eq!(p.confident_mistakes(1)[0].index, 1);
    }

    #[test]
    fn an_empty_test_set_has_an_empty_matrix() {
        let c = Predictions::new(vec![], vec![], 10).unwrap().confusion();
        assert_eq!((c.total, c.correct, c.accuracy), (0, 0, 0.0));
        assert_eq!(c.counts, vec![0; 100]);
        assert!(c.recall.iter().all(Option::is_none));
    }

    #[test]
    fn what_does_not_fit_is_a_typed_error_with_its_sentence() {
        let e = Predictions::new(vec![0, 1], vec![0.5; 5], 2).unwrap_err();
        assert_eq!(e, ConfusionError::Lengths { labels: 2, probabilities: 5, classes: 2 });
        assert_eq!(e.to_string(), "5 probabilities are not 2 test examples × 2 classes");
        let e = Predictions::new(vec![0, 2], vec![0.5; 4], 2).unwrap_err();
        assert_eq!(e.to_string(), "test example 1 has label 2, but there are only 2 classes");
        let e = Predictions::new(vec![0, 1], vec![0.5, 0.5, f32::NAN, 0.5], 2).unwrap_err();
        assert_eq!(e.to_string(), "the test set's probabilities: value 2 is NaN, not a finite number");
        assert_eq!(Predictions::new(vec![], vec![], 0).unwrap_err(), ConfusionError::Classes { classes: 0 });
        assert!(matches!(Predictions::new(vec![0], vec![0.0; 300], 300), Err(ConfusionError::Classes { classes: 300 })));
    }

    #[test]
    fn serialises_in_camel_case() {
        let v = serde_json::to_value(small().confusion()).unwrap();
        assert_eq!(v["rowTotals"], serde_json::json!([3, 1, 2]));
        assert_eq!(v["recall"][2], serde_json::json!(0.0));
        let e = serde_json::to_value(&small().cell(2, 1, 1)[0]).unwrap();
        assert_eq!(e["predicted"], 1);
        assert!(e["probabilities"].is_array());
    }
}
