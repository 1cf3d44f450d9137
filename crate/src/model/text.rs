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
    MAX_POOL_PAD = "layer.maxPoolPad": "MaxPool2d {kernel}×{kernel}, stride {stride}, pad {padding}";
    AVG_POOL_PAD = "layer.avgPoolPad": "AvgPool2d {kernel}×{kernel}, stride {stride}, pad {padding}";
    NO_BIAS = "layer.noBias": "{conv}, no bias";
    GLOBAL_AVG_POOL = "layer.globalAvgPool": "global average pool (AdaptiveAvgPool2d 1)";
    RESIDUAL = "layer.residual": "Residual: F(x) + x";
    RESIDUAL_PROJECTION = "layer.residualProjection": "Residual: F(x) + shortcut(x)";
    INCEPTION = "layer.inception": "Inception: {inputs} → {outputs} channels";
    ADD = "layer.add": "add: F(x) + x";
    ADD_PROJECTION = "layer.addProjection": "add: F(x) + shortcut(x)";
    CONCAT = "layer.concat": "concatenate on channels: {parts} = {total}";
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
    POOL_PADDING_TOO_LARGE = "spec.poolPaddingTooLarge": "padding {padding} is more than half the {kernel}×{kernel} window";
    GLOBAL_POOL_SQUARE = "spec.globalPoolSquare": "global average pooling is trained here on square inputs only, and this one is {input}";
    CANNOT_ADD = "spec.cannotAdd": "layer {index} ({label}): F(x) gives {body} but the shortcut gives {shortcut}: they cannot be added (a 1×1 convolution with a stride on the shortcut would make them match)";
    CANNOT_CONCAT = "spec.cannotConcat": "layer {index} ({label}): the branches give {shapes}: concatenating on the channels needs the same H×W in every branch";
    PADDING_TOO_LARGE = "spec.paddingTooLarge": "padding {padding} is more than the kernel size less one ({max}): the outer windows would see nothing but padding";
    TOTAL_TOO_LARGE = "spec.totalTooLarge": "the network's {what} add up past 2⁶⁴ here, too many to count";
    TOTAL_PARAMS = "spec.totalParams": "parameters";
    TOTAL_MACS = "spec.totalMacs": "multiply-accumulates";
    INPUT_TOO_LARGE = "spec.inputTooLarge": "the input size {input} is too large to count";
    // A model that needs more memory than it may use.
    BUFFER_OVER_BUDGET = "spec.bufferOverBudget": "{at}: {part} would take {size} at batch {batch}; one buffer may take at most {limit} here";
    OVER_BUDGET = "spec.overBudget": "the model would need {size} of memory at batch {batch}, more than the {limit} it may use here; {at} alone needs {part}";
    AT_LAYER = "spec.atLayer": "layer {index} ({label})";
    AT_INPUT = "spec.atInput": "the input";
    PART_INPUT = "spec.partInput": "the batch of input images";
    PART_OUTPUT = "spec.partOutput": "its output";
    PART_WEIGHTS = "spec.partWeights": "its weights";
    PART_PADDED = "spec.partPadded": "the zero-padded copy of its input";
    PART_COLS = "spec.partCols": "the matrix of its input windows";
    PART_PARTIALS = "spec.partPartials": "the partial sums of its weight gradients";
    // Weights that do not fit the model.
    STATE_MISSING = "state.missing": "the weights have no tensor named {name} (expected shape {shape})";
    STATE_SHAPE = "state.shape": "tensor {name} has shape {found} but the model needs {expected}";
    STATE_UNEXPECTED = "state.unexpected": "tensor {name} is not part of this model";
    STATE_LENGTH = "state.length": "tensor {name} holds {len} values but its shape {shape} needs {expected}";
    // Layers that cannot be frozen.
    FREEZE_NO_LAYER = "freeze.noLayer": "there is no layer {index}: the network's layers are numbered 0 to {last}";
    FREEZE_NO_PARAMETERS = "freeze.noParameters": "layer {index} ({label}) has no weights to freeze";
}
