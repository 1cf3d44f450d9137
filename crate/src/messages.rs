//! Every sentence template of the core, in one list: the page registers their English and
//! translates them (`www/core.strings.js`). It lives here, above the modules it lists, so that
//! `message` — which every module uses — depends on none of them.

use crate::message::Template;

/// Every template of the core, for the page's string table.
pub fn all() -> Vec<Template> {
    [
        crate::check::text::TEMPLATES,
        crate::format::text::TEMPLATES,
        crate::digit::text::TEMPLATES,
        crate::model::text::TEMPLATES,
        crate::model::arch::text::TEMPLATES,
        crate::model::gallery::text::TEMPLATES,
        crate::model::own::text::TEMPLATES,
        crate::model::torch_code::text::TEMPLATES,
        crate::train::text::TEMPLATES,
        crate::lab::text::TEMPLATES,
        crate::predictor::text::TEMPLATES,
        crate::health::text::TEMPLATES,
        crate::classroom::text::TEMPLATES,
        crate::confusion::text::TEMPLATES,
        crate::inspect::text::TEMPLATES,
        crate::lessons::basics::text::TEMPLATES,
        crate::lessons::batches::text::TEMPLATES,
        crate::lessons::convpool::text::TEMPLATES,
        crate::lessons::regression::text::TEMPLATES,
        crate::lessons::normdrop::text::TEMPLATES,
        crate::lessons::tiny::text::TEMPLATES,
        crate::lessons::optimizers::text::TEMPLATES,
        crate::backend::gpu::text::TEMPLATES,
        crate::backend::choose::text::TEMPLATES,
        crate::parallel::text::TEMPLATES,
        crate::data::pair::text::TEMPLATES,
        crate::error::text::TEMPLATES,
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_templates_well_formed() {
        let all = all();
        let mut keys: Vec<&str> = all.iter().map(|t| t.key).collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "a key is declared twice");
        for t in &all {
            assert_eq!(t.en.matches('{').count(), t.en.matches('}').count(), "{}: unbalanced braces", t.key);
            assert!(t.key.contains('.') && !t.en.is_empty(), "{}", t.key);
        }
    }
}
