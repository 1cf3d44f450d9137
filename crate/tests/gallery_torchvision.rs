//! The gallery's rows against torchvision's own modules, layer by layer: for every row that names
//! a torchvision module, the output shape(s) a forward pass gives that module and its parameter
//! count; and every leaf module of torchvision's network has a row. The reference,
//! `data/torchvision_modules.txt`, is one line per module — name, output shape per example (";"
//! between calls when a module runs twice, as ResNet's ReLU does), `sum(p.numel())` of its
//! parameters, 1 if it is a leaf — printed by this script with torchvision 0.29 on torch 2.15:
//!
//! ```python
//! import torch
//! from torchvision import models
//! torch.manual_seed(0)
//! nets = [("alexnet", models.alexnet(), 1), ("vgg16", models.vgg16(), 1), ("resnet18", models.resnet18(), 1),
//!         ("googlenet", models.googlenet(aux_logits=False, init_weights=False), 1),
//!         ("googlenet-aux", models.googlenet(aux_logits=True, init_weights=False), 2)]
//! for gallery_name, net, n in nets:
//!     # Train mode where the auxiliary heads run only in training (batch 2: batch norm needs two values per channel).
//!     net.train(n == 2) if n == 2 else net.eval()
//!     seen = {}
//!     def hook(name):
//!         return lambda module, inputs, output: seen.setdefault(name, []).append(tuple(output.shape[1:]))
//!     for name, module in net.named_modules():
//!         if name:
//!             module.register_forward_hook(hook(name))
//!     with torch.no_grad():
//!         net(torch.zeros(n, 3, 224, 224))
//!     print(f"# {gallery_name}")
//!     for name, module in net.named_modules():
//!         if not name:
//!             continue
//!         shapes = ";".join(",".join(map(str, s)) for s in seen.get(name, []))
//!         params = sum(p.numel() for p in module.parameters())
//!         leaf = int(len(list(module.children())) == 0)
//!         print(f"{name} {shapes or '-'} {params} {leaf}")
//! ```

use std::collections::BTreeMap;

use cnn_core::model::gallery;

const REFERENCE: &str = include_str!("data/torchvision_modules.txt");

/// One torchvision module: the output shapes of its calls, in order, and its parameters.
struct Module {
    shapes: Vec<Vec<usize>>,
    params: u64,
    leaf: bool,
}

fn reference() -> BTreeMap<String, BTreeMap<String, Module>> {
    let mut nets: BTreeMap<String, BTreeMap<String, Module>> = BTreeMap::new();
    let mut current = String::new();
    for line in REFERENCE.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(net) = line.strip_prefix("# ") {
            current = net.to_string();
            nets.insert(current.clone(), BTreeMap::new());
            continue;
        }
        let f: Vec<&str> = line.split(' ').collect();
        assert_eq!(f.len(), 4, "reference line {line:?}");
        let shapes = f[1].split(';').map(|s| s.split(',').map(|d| d.parse().expect("a size")).collect()).collect();
        let module = Module { shapes, params: f[2].parse().expect("a count"), leaf: f[3] == "1" };
        nets.get_mut(&current).expect("a # header first").insert(f[0].to_string(), module);
    }
    nets
}

#[test]
fn every_named_row_has_the_shape_and_parameters_of_its_torchvision_module() {
    let nets = reference();
    assert_eq!(nets.keys().collect::<Vec<_>>(), ["alexnet", "googlenet", "googlenet-aux", "resnet18", "vgg16"]);
    for (net, modules) in &nets {
        let table = gallery::table(net).unwrap();
        // The gallery's rows by name, in order: a name on two rows is a module called twice.
        let mut rows: BTreeMap<&str, Vec<&cnn_core::model::arch::Row>> = BTreeMap::new();
        for row in table.rows.iter().filter(|r| !r.name.is_empty()) {
            rows.entry(row.name.as_str()).or_default().push(row);
        }
        let mut checked = 0;
        for (name, named) in &rows {
            let module = modules.get(*name).unwrap_or_else(|| panic!("{net}: row {name} names no torchvision module"));
            let shapes: Vec<Vec<usize>> = named.iter().map(|r| r.shape.clone().unwrap_or_else(|| panic!("{net}: {name} has no shape"))).collect();
            assert_eq!(shapes, module.shapes, "{net}: output shapes of {name}");
            for r in named {
                assert_eq!(r.params, Some(module.params), "{net}: parameters of {name} ({})", r.label);
            }
            checked += 1;
        }
        let missing: Vec<&String> = modules.iter().filter(|(name, m)| m.leaf && !rows.contains_key(name.as_str())).map(|(n, _)| n).collect();
        assert!(missing.is_empty(), "{net}: torchvision layers without a row: {missing:?}");
        assert!(checked >= modules.values().filter(|m| m.leaf).count(), "{net}");
    }
}
