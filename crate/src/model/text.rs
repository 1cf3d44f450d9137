//! The sentences of models: layer labels as a textbook table writes them, and what does not fit
//! in a spec or in a set of weights.

crate::templates! {
    // Layer labels.
    CONV = "layer.conv": "Conv2d {out}@{kernel}×{kernel}";
    CONV_STRIDE = "layer.convStride": "Conv2d {out}@{kernel}×{kernel}, stride {stride}";
    CONV_PAD = "layer.convPad": "Conv2d {out}@{kernel}×{kernel}, pad {padding}";
    CONV_STRIDE_PAD = "layer.convStridePad": "Conv2d {out}@{kernel}×{kernel}, stride {stride}, pad {padding}";
    MAX_POOL = "layer.maxPool": "MaxPool2d {kernel}×{kernel}, stride {stride}";
    AVG_POOL = "layer.avgPool": "AvgPool2d {kernel}×{kernel}, stride {stride}";
    FLATTEN = "layer.flatten": "Flatten";
    DENSE = "layer.dense": "Dense {units}";
    SIGMOID = "layer.sigmoid": "Sigmoid";
    TANH = "layer.tanh": "Tanh";
    RELU = "layer.relu": "ReLU";
    LEAKY_RELU = "layer.leakyRelu": "LeakyReLU({slope})";
    DROPOUT = "layer.dropout": "Dropout(p={p})";
    BATCH_NORM = "layer.batchNorm": "BatchNorm2d";
    SOFTMAX = "layer.softmax": "Softmax";
    // A spec that cannot be built.
    WINDOW_TOO_LARGE = "spec.windowTooLarge": "layer {index} ({label}): a {kernel}×{kernel} window with padding {padding} does not fit its input {input}";
    CHANNEL_MISMATCH = "spec.channelMismatch": "layer {index} ({label}): expects {expected} input channels but receives {input}";
    FEATURE_MISMATCH = "spec.featureMismatch": "layer {index} ({label}): expects {expected} input features but receives {input} ({got} values per example)";
    NEEDS_IMAGE = "spec.needsImage": "layer {index} ({label}): needs an image input (N, C, H, W) but receives {input}; remove the Flatten before it";
    NEEDS_FLAT = "spec.needsFlat": "layer {index} ({label}): needs a flat input (N, F) but receives {input}; add a Flatten before it";
    BAD_SETTING = "spec.badSetting": "layer {index} ({label}): {reason}";
    EMPTY_INPUT = "spec.emptyInput": "the input size {input} has a zero dimension";
    TOO_LARGE = "spec.tooLarge": "the layer is too large to count";
    CONV_AT_LEAST_ONE = "spec.convAtLeastOne": "channels, kernel and stride must be at least 1";
    POOL_AT_LEAST_ONE = "spec.poolAtLeastOne": "kernel and stride must be at least 1";
    DENSE_NO_UNITS = "spec.denseNoUnits": "a dense layer needs at least one unit";
    DROPOUT_RANGE = "spec.dropoutRange": "the dropout probability must be in [0, 1)";
    BATCH_NORM_RANGE = "spec.batchNormRange": "eps must be positive and momentum in [0, 1]";
    // Weights that do not fit the model.
    STATE_MISSING = "state.missing": "the weights have no tensor named {name} (expected shape {shape})";
    STATE_SHAPE = "state.shape": "tensor {name} has shape {found} but the model needs {expected}";
    STATE_UNEXPECTED = "state.unexpected": "tensor {name} is not part of this model";
    STATE_LENGTH = "state.length": "tensor {name} holds {len} values but its shape {shape} needs {expected}";
    STATE_NON_FINITE = "state.nonFinite": "tensor {name} contains a non-finite value (NaN or infinity)";
}
