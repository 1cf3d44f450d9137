// Every string the page shows, in one table per language with the same keys: English (en) and
// 简体中文 (zh). Elements name their string with data-i18n="key" (text) or
// data-i18n-attr="attr:key" (an attribute); code calls t(key, values), or setText / setAttr for
// text that must follow a change of language. The language is chosen when this module loads (the
// learner's earlier choice, else the browser's) and switched with setLanguage; tests/i18n.test.mjs
// fails when a key lacks a translation. Nothing here touches the DOM unless there is one.

import { coreStrings } from './core.strings.js';

export const strings = {
  en: {
    'page.title': 'cnn-notebook — convolutional networks in your browser',
    'header.title': 'cnn-notebook',
    'header.tagline': 'Convolutional networks, computed in your browser by a Rust core compiled to WebAssembly.',
    'lang.label': 'Language',
    'status.loading': 'Loading the WebAssembly core…',
    'status.ready': 'Core {version} ready.',
    'error.title': 'Something went wrong',
    'error.notBuilt': 'The WebAssembly module could not be loaded ({detail}). Build and serve it with scripts/serve.sh.',
    'error.panic': 'The core stopped with an internal error: {detail}. Reload the page to start again.',

    'table.heading': 'Sizes of the preset networks',
    'table.intro':
      'Each row is one layer. The output shape is written (N, C, H, W): batch, channels, height, width. ' +
      'Every figure below is worked out by the core’s shape inference, using one formula for every window: ' +
      'output = ⌊(W − F + 2P) / S⌋ + 1.',
    'table.preset': 'Network',
    'table.index': '#',
    'table.layer': 'Layer',
    'table.output': 'Output shape',
    'table.params': 'Parameters',
    'table.macs': 'Multiply-adds',
    'table.input': 'Input',
    'table.total': 'Total',
    'table.caption': '{name}: {params} parameters, {macs} multiply-adds per image.',

    'backend.checking': 'Looking for WebGPU…',
    'backend.webgpu': 'Trains on WebGPU',
    'backend.cpu': 'Trains on the CPU',
    'backend.why': 'Training runs on the CPU (WebAssembly): {reason}.',
    'backend.gpuDetail': 'Training runs on WebGPU ({adapter}); the drawing pad’s single predictions run on the CPU, which answers one image faster than a GPU round trip.',

    'start.heading': 'Start here',
    'start.draw': 'Draw a digit and watch LeNet read it',
    'start.step': 'Step through the network, layer by layer',
    'start.train': 'Train it yourself',
    'start.path': 'Or follow the path from chapter 1, one neuron, to the architectures of ResNet and GoogLeNet.',

    'keys.open': '? Keys',
    'keys.title': 'Keys',
    'keys.next': 'next chapter (in presenter mode)',
    'keys.prev': 'previous chapter (in presenter mode)',
    'keys.spaceKey': 'Space',
    'keys.space': 'the current chapter’s play button: walk the layers, start or pause training (in presenter mode)',
    'keys.tab': 'move between the controls; Enter or Space presses a button',
    'keys.stepper': 'inside the layer stepper of “Forward propagation, layer by layer”: step through the layers',
    'keys.map': 'on a convolution’s feature map: move the cursor, then Enter shows how that value was made',
    'keys.esc': 'leave a control that uses the arrow keys (a slider, a menu, the stepper, a map): the arrows move between chapters again; closes this list',
    'keys.help': 'this list',
    'keys.note': 'PageDown and PageUp (what a presenter’s clicker sends) always move between chapters.',
    'keys.close': 'Close',

    'draw.heading': 'Draw a digit',
    'draw.intro':
      'Draw a digit from 0 to 9 with the mouse, a finger or a pen. A LeNet trained on MNIST digits predicts it as you draw. ' +
      'Your drawing is prepared the way MNIST’s digits were: the ink is fitted into a 20×20 box, keeping its shape, and its ' +
      'centre of mass is moved to the centre of a 28×28 image — the image the network sees.',
    'draw.padLabel': 'Drawing pad: draw a digit here',
    'draw.clear': 'Clear',
    'draw.hint': 'Draw big, in one or a few strokes.',
    'draw.seen': 'What the network sees (28×28)',
    'draw.seenLabel': 'The 28 by 28 image given to the network',
    'draw.prediction': 'Prediction:',
    'draw.probsLabel': 'Probability of each digit',
    'draw.barLabel': 'digit {d}: {p}',
    'draw.latency': 'Prepared, predicted and every feature map drawn in {ms} ms.',
    'draw.samples': 'Sample digits:',
    'draw.random': 'Random test digit',
    'draw.sampleSource': 'On the pad: sample digit {d}, from the test set. Draw to replace it.',
    'draw.testSource': 'On the pad: test digit no. {index}, labelled {label}. Draw to replace it.',
    'draw.yours': 'On the pad: your drawing.',

    'forward.heading': 'Forward propagation, layer by layer',
    'forward.intro':
      'Each row is one layer with its output for your drawing: its name, its output shape written (N, C, H, W) — batch, ' +
      'channels, height, width — and its number of parameters. Image-shaped outputs show one feature map per channel; flat ' +
      'ones a strip of numbers. Step with the buttons (or, with the focus on them, ← and →); play walks from the input to the softmax. Click a ' +
      'pixel of a convolution’s feature map to see the arithmetic that produced it.',
    'forward.controls': 'Step through the layers',
    'forward.prev': '◀ Previous',
    'forward.next': 'Next ▶',
    'forward.play': '▶ Play',
    'forward.pause': '⏸ Pause',
    'forward.where': 'Layer {index} (of 0–{last}): {label} — output {shape}, {params} parameters',
    'forward.keys': 'With the focus on these buttons, ← and → step through the layers (Home, End: first, last).',
    'forward.input': 'Input',
    'forward.params': '{n} parameters',
    'forward.mapLabel': 'Feature map {c} of {layer}',
    'forward.vectorLabel': 'Output vector of {layer}',
    'forward.inspectHint': 'Click a pixel (or press Enter, then the arrow keys) to see how it was computed',

    'inspect.title': 'Layer {layer} ({label}), feature map {c}, row {y}, column {x}',
    'inspect.intro':
      'The {k}×{k} kernel of this feature map lies over a window of each of the {cin} input channels, starting at input row {top}, column {left} ' +
      '(cells outside the input are padding, value 0). Each input value is multiplied by the weight over it; all products are added; then the bias.',
    'inspect.channel': 'Input channel {c}',
    'inspect.window': 'input window',
    'inspect.kernel': 'kernel weights',
    'inspect.products': 'products',
    'inspect.padding': 'padding: outside the input, counts as 0',
    'inspect.channelSum': 'Σ of this channel’s products = {sum}',
    'inspect.sum': 'Sum over the input channels, plus the bias: {terms} + {bias} = {value} (the forward pass computed {stored}).',
    'inspect.close': 'Close the inspector',
    'inspect.activation': '{name}({value}) = {out}: the value shown in the next layer’s map.',

    'train.heading': 'Train LeNet in your browser',
    'train.intro':
      'Train the network on 8,000 MNIST digits and test it on 2,000 others it never trains on. The curves show the loss ' +
      'and accuracy on the training batches (line) and on the test digits after each epoch (dots). The drawing pad above ' +
      'keeps predicting with the weights as they change. Change a setting and see what it does: a learning rate that is ' +
      'too high makes the loss explode.',
    'train.startFrom': 'Start from',
    'train.fromShipped': 'the trained LeNet',
    'train.fromFresh': 'random weights',
    'train.activation': 'Activation',
    'train.init': 'Initialisation',
    'train.initHe': 'He (normal)',
    'train.initXavier': 'Xavier (uniform)',
    'train.initSmall': 'Gaussian σ = 0.01',
    'train.optimizer': 'Optimizer',
    'train.momentum': 'SGD + momentum',
    'train.batch': 'Batch size',
    'train.lr': 'Learning rate',
    'train.start': 'Start',
    'train.pause': 'Pause',
    'train.reset': 'Reset',
    'train.resetAfterDiverge': 'Reset the network',
    'train.progressLabel': 'Progress through the current epoch',
    'train.curvesLabel': 'Loss and accuracy curves',
    'train.ready': 'Ready: {train} training digits and {test} test digits loaded.',
    'train.started': 'Training on {backend}…',
    'train.cpu': 'the CPU',
    'train.paused': 'Paused. Start continues where it stopped.',
    'train.progress': 'Epoch {epoch}, batch {batch} of {batches} · loss {loss} · accuracy {acc} · {speed} examples/s',
    'train.testSummary': 'Test digits after {epochs} epochs: loss {loss}, accuracy {acc}.',
    'train.lrChanged': 'Learning rate set to {lr}; it applies from the next step.',
    'train.optimizerChanged': 'Optimizer set to {name}. The weights are kept; the optimizer’s own state (momentum, Adam’s averages) starts again from zero.',
    'train.batchChanged': 'Batch size set to {n}; it applies from the next step.',
    'train.rebuilt': 'The network was rebuilt with {act} activations and {init} initialisation: new random weights, so the curves start again.',
    'train.resetShipped': 'Back to the trained LeNet; the curves start again.',
    'train.resetFresh': 'A new network with random weights; the curves start again.',
    'train.stopped': '{detail}.',
    'train.preparing': 'Preparing the training data: fetching and reading 10,000 MNIST digits… Start is ready in a moment.',
    'train.onGpu': 'Training runs on WebGPU ({adapter}).',
    'train.onCpu': 'Training runs on the CPU, in WebAssembly: {reason}.',
    'train.useGpu': 'Train on the GPU anyway ({adapter})',
    'train.useCpu': 'Train on the CPU instead',
    'train.confirmShipped': 'A new activation or initialisation needs a new network, built from random weights: the trained LeNet is set aside (“Start from: the trained LeNet” brings it back). Build a network with {act} and {init}?',
    'train.confirmTrained': 'A new activation or initialisation needs a new network, built from random weights: the weights trained so far and their curves are lost. Build a network with {act} and {init}?',
    'train.confirmRunning': 'Training is running. A new activation or initialisation needs a new network, built from random weights: this run, its weights and its curves are lost. Build a network with {act} and {init}?',
    'train.confirmYes': 'Build it with {act} and {init}',
    'train.confirmNo': 'Keep the current network',
    'train.kept': 'The current network is kept; the menus show what it was built with.',
    'train.gpuFailed': 'WebGPU stopped working ({detail}). Training continues on the CPU from the last weights.',
    'train.failed': 'Training stopped with an error: {detail}',

    'curves.loss': 'Loss',
    'curves.lossLog': 'Loss (log scale)',
    'curves.accuracy': 'Accuracy',
    'curves.epochs': 'epochs',
    'curves.train': 'training batches',
    'curves.test': 'test digits',

    'files.heading': 'Save and load the model',
    'files.intro': 'Save the network the drawing pad uses (weights and architecture, in one safetensors file) and load it back later, here or with the cnn command-line tool.',
    'files.save': 'Save model',
    'files.load': 'Load model…',
    'files.saved': 'Saved as {name}.',
    'files.loaded': 'Loaded {model} from {name}. Training continues from these weights.',
    'files.bad': 'Could not load {name}: {detail}. The current model is unchanged.',
    'export.heading': 'Export to PyTorch',
    'export.intro':
      'Take the network to PyTorch: the code builds the same layers as an nn.Sequential, and the weights file holds ' +
      'its state_dict (the names and layouts load_state_dict expects). Put both in one folder and run the code.',
    'export.code': 'Download the PyTorch code',
    'export.weights': 'Download the weights (safetensors)',
    'export.saved': 'Saved {name}.',

    'gallery.heading': 'Architecture gallery',
    'gallery.intro':
      'The classic networks, layer by layer: each output shape, parameter count and multiply-adds worked out by the same ' +
      'shape inference as LeNet above — Inception blocks (four branches joined by concatenation) and residual blocks ' +
      '(F(x) + x) included. One entry is written with a mistake, as in many notes: the table shows where its sizes stop ' +
      'adding up.',
    'gallery.network': 'Network',
    'gallery.claimed': 'Claimed',
    'gallery.summary': '{title}: input {input}, {params} parameters, {macs} multiply-adds per image.',
    'gallery.summaryUnknown': '{title}: input {input}. The totals cannot be counted: {problems} rows do not add up.',
    'gallery.problems': '{n} rows do not add up — see the marked rows.',
    'gallery.title.lenet5': 'LeNet-5 (LeCun et al., 1998): 32×32 input, tanh, max pooling',
    'gallery.title.alexnet': 'AlexNet as torchvision builds it: 224×224 input, 64-192-384-256-256 channels',
    'gallery.title.alexnet-paper': 'AlexNet as in the paper (Krizhevsky et al., 2012) on one GPU: no groups, 227×227 input',
    'gallery.title.zfnet': 'ZFNet (Zeiler & Fergus, 2013): 7×7/2 first layer, pooling with ceil_mode as in the paper’s figure',
    'gallery.title.zfnet-mistake': 'ZFNet as a student wrote it down, with the paper’s sizes in the comments. Do they add up?',
    'gallery.tableLabel': 'The layer table; scroll it to see every row and column',
    'gallery.name.lenet5': 'LeNet-5',
    'gallery.name.alexnet': 'AlexNet (torchvision)',
    'gallery.name.alexnet-paper': 'AlexNet (the paper)',
    'gallery.name.zfnet': 'ZFNet',
    'gallery.name.zfnet-mistake': 'ZFNet from a student’s notes',
    'gallery.name.vgg16': 'VGG16',
    'gallery.name.googlenet': 'GoogLeNet',
    'gallery.name.googlenet-aux': 'GoogLeNet with its auxiliary classifiers',
    'gallery.name.resnet18': 'ResNet-18',
    'gallery.title.vgg16': 'VGG16 (Simonyan & Zisserman, 2014) as torchvision builds it',
    'gallery.title.googlenet': 'GoogLeNet (Szegedy et al., 2014) as torchvision builds it, without the auxiliary classifiers',
    'gallery.title.googlenet-aux': 'GoogLeNet (Szegedy et al., 2014) as torchvision builds it, with the two auxiliary classifiers used in training',
    'gallery.title.resnet18': 'ResNet-18 (He et al., 2015) as torchvision builds it',
    'gallery.moduleName': 'torchvision: {name}',
    'gallery.unknown': '?',

    'toc.heading': 'Chapters',
    'presenter.on': 'Presenter mode',
    'presenter.off': 'Leave presenter mode',

    'bp.heading': 'Backprop in a CNN, one gradient at a time',
    'bp.intro':
      'One training step on your drawing, taken apart. Forward: the loss is −log of the probability the network gives the ' +
      'label. Backward: click to go back one layer at a time — each shows ∂L/∂(its output) as maps, and a convolution or ' +
      'dense layer also ∂L/∂(its weights). Update: every weight moves by −η·∂L/∂w; the same drawing then goes through ' +
      'again. This works on a copy of the network: the drawing pad above is not changed.',
    'bp.label': 'This digit is a',
    'bp.forward': '1. Forward and loss',
    'bp.back': '2. Back one layer',
    'bp.update': '3. Update the weights',
    'bp.reset': 'Start over',
    'bp.drawFirst': 'Put a digit on the pad in “Draw a digit” first (draw one, or pick a sample): the step is taken on it.',
    'bp.loss': 'Loss L = −log p({label}) = −log {p} = {loss}. Now go back one layer at a time.',
    'bp.lossAfter': 'After the update the same digit gives p({label}) = {p}: the loss went from {before} to {loss}.',
    'bp.allBack': 'Every layer has its gradient (the loss is still {loss}): update the weights.',
    'bp.imageLabel': 'The digit the step is taken on',
    'bp.controls': 'One training step',
    'bp.suggest': 'The network reads this digit as {predicted} (p = {p}). We tell it the answer is {label} (p = {q}), so the step has something to correct; any label works.',
    'bp.sameLabel': 'The label {label} is what the network already reads (p = {p}): the loss is small and the update will change little. Pick another digit to see a bigger step.',
    'bp.logitsCaption': '∂L/∂logits = softmax − one-hot: each digit’s probability, minus 1 for the label {label}. This is where the backward pass starts.',
    'bp.rowDigit': 'digit',
    'bp.rowProb': 'p (softmax)',
    'bp.rowOneHot': 'one-hot y',
    'bp.rowLogitGrad': '∂L/∂logit = p − y',
    'bp.layerTitle': 'Layer {index} · {label} — output {shape}',
    'bp.outputGrad': '∂L/∂(this layer’s output):',
    'bp.kernelGrad': '∂L/∂{name}: one small image per kernel and input channel; ‖∂L/∂W‖ = {norm}.',
    'bp.denseGrad': '∂L/∂{name}: a row per output unit; ‖∂L/∂W‖ = {norm}.',
    'bp.mapLabel': 'Gradient map {c} of {label}',
    'bp.vectorLabel': 'Gradient vector of {label}',
    'bp.kernelLabel': 'gradient of kernel {o}, input channel {c}',
    'bp.matrixLabel': 'Weight gradient of {label}',
    'bp.colParam': 'Parameter',
    'bp.colEntry': 'Entry',
    'bp.colBefore': 'Before',
    'bp.colGrad': '∂L/∂θ',
    'bp.colAfter': 'After = before − η·∂L/∂θ',
    'bp.colNorm': '‖∂L/∂θ‖',
    'bp.updateCaption': 'The update with learning rate η = {lr}, shown for each tensor’s entry with the largest gradient.',
    'bp.normsHeading': 'Vanishing gradients',
    'bp.normsIntro':
      'The same step through a deeper network — eight fully connected layers of 32 units — once with sigmoid activations, ' +
      'once with ReLU. The bars are ‖∂L/∂W‖ of each layer, first layer on the left, on a log scale: sigmoid’s derivative is ' +
      'at most 0.25, so the gradient shrinks layer after layer on its way back; ReLU passes it through.',
    'bp.normsRun': 'Compare on this drawing',
    'bp.normsLabel': 'Gradient norm per layer: sigmoid (hatched, vermillion) against ReLU (blue)',
    'bp.normsLayer': 'dense layer, from the input side',
    'bp.normsAxis': '‖∂L/∂W‖ (log scale)',
    'bp.normsSigmoid': 'sigmoid',
    'bp.normsRelu': 'ReLU',
    'bp.normsText': 'First layer’s gradient relative to the last: sigmoid {sig}, ReLU {relu}. Hatched vermillion bars: sigmoid; blue: ReLU.',

    'error.noModel': 'The trained model {url} could not be fetched (HTTP {status}).',

    'footer.text': 'cnn-notebook · everything on this page is computed locally; nothing is sent anywhere.',
  },
  // 简体中文: written for students who meet these ideas for the first time. The standard terms
  // (卷积层, 池化层, 全连接层, 激活函数, 前向传播, 反向传播, 损失函数, 梯度下降, 学习率, 批量大小,
  // 特征图, 感受野) are used wherever the English names the idea; tests/i18n.test.mjs checks them.
  // Names (LeNet, ReLU, Adam, SGD, WebGPU, MNIST, PyTorch…) stay as they are.
  zh: {
    'page.title': 'cnn-notebook — 在浏览器中运行的卷积神经网络',
    'header.title': 'cnn-notebook',
    'header.tagline': '卷积神经网络，就在你的浏览器里计算：核心由 Rust 编写，编译成 WebAssembly 运行。',
    'lang.label': '语言',
    'status.loading': '正在加载 WebAssembly 核心…',
    'status.ready': '核心 {version} 已就绪。',
    'error.title': '出错了',
    'error.notBuilt': '无法加载 WebAssembly 模块（{detail}）。请用 scripts/serve.sh 构建并启动服务。',
    'error.panic': '核心因内部错误而停止：{detail}。请刷新页面重新开始。',

    'table.heading': '预设网络的各层尺寸',
    'table.intro': '每一行是一层。输出形状写作 (N, C, H, W)：批量大小、通道数、高度、宽度。下面每个数字都由核心的形状推断算出，所有窗口都用同一个公式：输出 = ⌊(W − F + 2P) / S⌋ + 1。',
    'table.preset': '网络',
    'table.index': '#',
    'table.layer': '层',
    'table.output': '输出形状',
    'table.params': '参数量',
    'table.macs': '乘加次数',
    'table.input': '输入',
    'table.total': '合计',
    'table.caption': '{name}：共 {params} 个参数，每张图像 {macs} 次乘加。',

    'backend.checking': '正在检测 WebGPU…',
    'backend.webgpu': '在 WebGPU 上训练',
    'backend.cpu': '在 CPU 上训练',
    'backend.why': '训练在 CPU 上运行（WebAssembly）：{reason}。',
    'backend.gpuDetail': '训练在 WebGPU（{adapter}）上运行；画板上的单张预测在 CPU 上运行——只算一张图像时，CPU 比在 GPU 上往返一趟更快。',

    'start.heading': '从这里开始',
    'start.draw': '写一个数字，看 LeNet 怎样识别它',
    'start.step': '逐层查看网络的前向传播',
    'start.train': '亲手训练它',
    'start.path': '也可以从第 1 章的单个神经元开始，一路学到 ResNet 和 GoogLeNet 的架构。',

    'keys.open': '? 快捷键',
    'keys.title': '快捷键',
    'keys.next': '下一章（演示模式下）',
    'keys.prev': '上一章（演示模式下）',
    'keys.spaceKey': '空格键',
    'keys.space': '当前章节的播放按钮：逐层播放、开始或暂停训练（演示模式下）',
    'keys.tab': '在各个控件之间移动；按 Enter 或空格键按下按钮',
    'keys.stepper': '在“前向传播，一层一层地看”的逐层浏览控件里：逐层前进或后退',
    'keys.map': '在卷积层的特征图上：移动光标，再按 Enter 查看这个值是怎样算出来的',
    'keys.esc': '离开使用方向键的控件（滑块、下拉菜单、逐层浏览、特征图）：方向键重新用来切换章节；也会关闭这个列表',
    'keys.help': '这个列表',
    'keys.note': 'PageDown 和 PageUp（演示遥控器发送的就是这两个键）总是用来切换章节。',
    'keys.close': '关闭',

    'draw.heading': '写一个数字',
    'draw.intro':
      '用鼠标、手指或触控笔写一个 0 到 9 的数字。' +
      '你一边写，一个在 MNIST 手写数字上训练好的 LeNet 就一边给出预测。' +
      '你的笔迹会按照 MNIST 数字当初的处理方式来准备：' +
      '保持形状不变，把笔迹缩放进 20×20 的方框，再把它的质心移到 28×28 图像的中心——这就是网络看到的图像。',
    'draw.padLabel': '画板：在这里写一个数字',
    'draw.clear': '清除',
    'draw.hint': '写大一些，一笔或几笔写完。',
    'draw.seen': '网络看到的图像（28×28）',
    'draw.seenLabel': '输入网络的 28×28 图像',
    'draw.prediction': '预测：',
    'draw.probsLabel': '每个数字的概率',
    'draw.barLabel': '数字 {d}：{p}',
    'draw.latency': '预处理、预测并画出全部特征图，用时 {ms} 毫秒。',
    'draw.samples': '示例数字：',
    'draw.random': '随机一个测试数字',
    'draw.sampleSource': '画板上是：来自测试集的示例数字 {d}。在画板上写字就会替换它。',
    'draw.testSource': '画板上是：第 {index} 号测试数字，标签为 {label}。在画板上写字就会替换它。',
    'draw.yours': '画板上是：你写的数字。',

    'forward.heading': '前向传播，一层一层地看',
    'forward.intro':
      '每一行是一层，以及它对你的笔迹给出的输出：' +
      '层的名称、输出形状 (N, C, H, W)——批量大小、通道数、高度、宽度——和参数量。' +
      '图像形状的输出每个通道显示一张特征图；展平的输出显示为一条数字。用按钮逐层前进（焦点在按钮上时也可以用 ← 和 →）；' +
      '“播放”会从输入一直走到 softmax。点击卷积层特征图上的任意像素，就能看到得出它的算式。',
    'forward.controls': '逐层浏览',
    'forward.prev': '◀ 上一层',
    'forward.next': '下一层 ▶',
    'forward.play': '▶ 播放',
    'forward.pause': '⏸ 暂停',
    'forward.where': '第 {index} 层（编号 0–{last}）：{label}——输出 {shape}，{params} 个参数',
    'forward.keys': '焦点在这些按钮上时，用 ← 和 → 逐层前进或后退（Home、End：第一层、最后一层）。',
    'forward.input': '输入',
    'forward.params': '{n} 个参数',
    'forward.mapLabel': '{layer} 的特征图 {c}',
    'forward.vectorLabel': '{layer} 的输出向量',
    'forward.inspectHint': '点击一个像素（或按 Enter 后用方向键）查看它是怎样算出来的',

    'inspect.title': '层 {layer}（{label}），特征图 {c}，第 {y} 行，第 {x} 列',
    'inspect.intro':
      '这张特征图的 {k}×{k} 卷积核覆盖在 {cin} 个输入通道各自的一个窗口上，窗口从输入的第 {top} 行、第 {left} 列开始' +
      '（输入以外的格子是填充，值为 0）。每个输入值乘以覆盖在它上面的权重，把所有乘积相加，最后加上偏置。',
    'inspect.channel': '输入通道 {c}',
    'inspect.window': '输入窗口',
    'inspect.kernel': '卷积核权重',
    'inspect.products': '乘积',
    'inspect.padding': '填充：位于输入之外，按 0 计算',
    'inspect.channelSum': '这个通道的乘积之和 Σ = {sum}',
    'inspect.sum': '各输入通道之和，再加上偏置：{terms} + {bias} = {value}（前向传播算出的是 {stored}）。',
    'inspect.close': '关闭检查器',
    'inspect.activation': '{name}({value}) = {out}：这就是下一层特征图中显示的值。',

    'train.heading': '在浏览器中训练 LeNet',
    'train.intro':
      '用 8,000 个 MNIST 数字训练网络，再用另外 2,000 个它从没训练过的数字来测试。曲线画出训练批次上的损失和准确率（折线），' +
      '以及每一轮（epoch）结束后在测试数字上的结果（圆点）。训练时，上面的画板一直用不断变化的权重做预测。' +
      '改一个设置，看看它起什么作用：学习率太高，损失会爆炸。',
    'train.startFrom': '起点',
    'train.fromShipped': '训练好的 LeNet',
    'train.fromFresh': '随机权重',
    'train.activation': '激活函数',
    'train.init': '初始化',
    'train.initHe': 'He（正态分布）',
    'train.initXavier': 'Xavier（均匀分布）',
    'train.initSmall': '高斯分布 σ = 0.01',
    'train.optimizer': '优化器',
    'train.momentum': 'SGD + 动量',
    'train.batch': '批量大小',
    'train.lr': '学习率',
    'train.start': '开始',
    'train.pause': '暂停',
    'train.reset': '重置',
    'train.resetAfterDiverge': '重置网络',
    'train.progressLabel': '当前这一轮的进度',
    'train.curvesLabel': '损失和准确率曲线',
    'train.ready': '就绪：已加载 {train} 个训练数字和 {test} 个测试数字。',
    'train.started': '正在 {backend} 上训练…',
    'train.cpu': 'CPU',
    'train.paused': '已暂停。再点“开始”会从停下的地方继续。',
    'train.progress': '第 {epoch} 轮，第 {batch}/{batches} 批 · 损失 {loss} · 准确率 {acc} · 每秒 {speed} 个样本',
    'train.testSummary': '训练 {epochs} 轮后在测试数字上：损失 {loss}，准确率 {acc}。',
    'train.lrChanged': '学习率已设为 {lr}，从下一步开始生效。',
    'train.optimizerChanged': '优化器已设为 {name}。权重保持不变；优化器自己的状态（动量、Adam 的滑动平均）从零重新开始。',
    'train.batchChanged': '批量大小已设为 {n}，从下一步开始生效。',
    'train.rebuilt': '网络已按 {act} 激活函数和 {init} 初始化重新构建：权重重新随机生成，曲线从头开始。',
    'train.resetShipped': '已恢复为训练好的 LeNet；曲线从头开始。',
    'train.resetFresh': '已换成一个随机权重的新网络；曲线从头开始。',
    'train.stopped': '{detail}。',
    'train.preparing': '正在准备训练数据：获取并读取 10,000 个 MNIST 数字…… “开始”按钮马上就能用。',
    'train.onGpu': '训练在 WebGPU（{adapter}）上运行。',
    'train.onCpu': '训练在 CPU 上运行（WebAssembly）：{reason}。',
    'train.useGpu': '仍然在 GPU 上训练（{adapter}）',
    'train.useCpu': '改在 CPU 上训练',
    'train.confirmShipped': '换一种激活函数或初始化，就要新建一个网络，权重重新随机生成：训练好的 LeNet 会被放在一边（把“起点”选回“训练好的 LeNet”就能找回它）。要用 {act} 和 {init} 新建网络吗？',
    'train.confirmTrained': '换一种激活函数或初始化，就要新建一个网络，权重重新随机生成：到目前为止训练出的权重和曲线都会丢失。要用 {act} 和 {init} 新建网络吗？',
    'train.confirmRunning': '训练正在进行。换一种激活函数或初始化，就要新建一个网络，权重重新随机生成：这次训练、它的权重和曲线都会丢失。要用 {act} 和 {init} 新建网络吗？',
    'train.confirmYes': '用 {act} 和 {init} 新建网络',
    'train.confirmNo': '保留当前网络',
    'train.kept': '已保留当前网络；下拉菜单显示的是它构建时的设置。',
    'train.gpuFailed': 'WebGPU 停止工作了（{detail}）。训练会从最近一次的权重起在 CPU 上继续。',
    'train.failed': '训练因错误而停止：{detail}',

    'curves.loss': '损失',
    'curves.lossLog': '损失（对数刻度）',
    'curves.accuracy': '准确率',
    'curves.epochs': '轮次（epoch）',
    'curves.train': '训练批次',
    'curves.test': '测试数字',

    'files.heading': '保存和加载模型',
    'files.intro': '保存画板正在使用的网络（权重和结构，存成一个 safetensors 文件），以后可以在这里或用 cnn 命令行工具重新加载。',
    'files.save': '保存模型',
    'files.load': '加载模型…',
    'files.saved': '已保存为 {name}。',
    'files.loaded': '已从 {name} 加载 {model}。训练会从这些权重继续。',
    'files.bad': '无法加载 {name}：{detail}。当前模型保持不变。',
    'export.heading': '导出到 PyTorch',
    'export.intro':
      '把网络带到 PyTorch：代码用 nn.Sequential 搭出相同的层，权重文件保存它的 state_dict' +
      '（名称和布局正是 load_state_dict 所要求的）。把两个文件放进同一个文件夹，运行代码即可。',
    'export.code': '下载 PyTorch 代码',
    'export.weights': '下载权重（safetensors）',
    'export.saved': '已保存 {name}。',

    'gallery.heading': '经典网络架构',
    'gallery.intro':
      '经典网络逐层展开：每层的输出形状、参数量和乘加次数，都由与上面 LeNet 相同的形状推断算出——' +
      '包括 Inception 模块（四个分支，通过拼接合并）和残差块（F(x) + x）。其中一个条目和许多笔记一样写错了：' +
      '表格会标出它的尺寸从哪一层开始对不上。',
    'gallery.network': '网络',
    'gallery.claimed': '声称的形状',
    'gallery.summary': '{title}：输入 {input}，{params} 个参数，每张图像 {macs} 次乘加。',
    'gallery.summaryUnknown': '{title}：输入 {input}。无法算出总数：有 {problems} 行对不上。',
    'gallery.problems': '有 {n} 行对不上——见标出的行。',
    'gallery.title.lenet5': 'LeNet-5（LeCun 等，1998）：32×32 输入，tanh，最大池化',
    'gallery.title.alexnet': 'torchvision 中的 AlexNet：224×224 输入，通道数 64-192-384-256-256',
    'gallery.title.alexnet-paper': '论文中的 AlexNet（Krizhevsky 等，2012），单 GPU 版：不分组，227×227 输入',
    'gallery.title.zfnet': 'ZFNet（Zeiler 和 Fergus，2013）：第一层 7×7、步幅 2，池化向上取整（ceil_mode），与论文插图一致',
    'gallery.title.zfnet-mistake': '一位学生笔记里的 ZFNet，注释里写着论文中的尺寸。这些尺寸对得上吗？',
    'gallery.tableLabel': '各层的表格；滚动可以看到每一行和每一列',
    'gallery.name.lenet5': 'LeNet-5',
    'gallery.name.alexnet': 'AlexNet（torchvision）',
    'gallery.name.alexnet-paper': 'AlexNet（论文）',
    'gallery.name.zfnet': 'ZFNet',
    'gallery.name.zfnet-mistake': '学生笔记里的 ZFNet',
    'gallery.name.vgg16': 'VGG16',
    'gallery.name.googlenet': 'GoogLeNet',
    'gallery.name.googlenet-aux': 'GoogLeNet（含辅助分类器）',
    'gallery.name.resnet18': 'ResNet-18',
    'gallery.title.vgg16': 'torchvision 中的 VGG16（Simonyan 和 Zisserman，2014）',
    'gallery.title.googlenet': 'torchvision 中的 GoogLeNet（Szegedy 等，2014），不含辅助分类器',
    'gallery.title.googlenet-aux': 'torchvision 中的 GoogLeNet（Szegedy 等，2014），含训练时使用的两个辅助分类器',
    'gallery.title.resnet18': 'torchvision 中的 ResNet-18（He 等，2015）',
    'gallery.moduleName': 'torchvision：{name}',
    'gallery.unknown': '?',

    'toc.heading': '章节',
    'presenter.on': '演示模式',
    'presenter.off': '退出演示模式',

    'bp.heading': 'CNN 中的反向传播，一步一步算梯度',
    'bp.intro':
      '在你的笔迹上做一次训练，把这一步拆开来看。前向传播：损失 = −log(网络给这个标签的概率)。反向传播：' +
      '每点击一次往回走一层——每一层都把 ∂L/∂(本层输出) 画成图，卷积层或全连接层还会给出 ∂L/∂(本层权重)。更新：' +
      '每个权重都移动 −η·∂L/∂w；然后同一个笔迹再走一遍网络。这一切都在网络的副本上进行：上面的画板不受影响。',
    'bp.label': '这个数字是',
    'bp.forward': '1. 前向传播和损失',
    'bp.back': '2. 反向传播一层',
    'bp.update': '3. 更新权重',
    'bp.reset': '从头开始',
    'bp.drawFirst': '请先在“写一个数字”的画板上放一个数字（自己写，或者选一个示例）：这一步训练就在它上面进行。',
    'bp.loss': '损失 L = −log p({label}) = −log {p} = {loss}。现在一层一层地往回走。',
    'bp.lossAfter': '更新之后，同一个数字得到 p({label}) = {p}：损失从 {before} 变成了 {loss}。',
    'bp.allBack': '每一层都有了梯度（损失仍是 {loss}）：更新权重吧。',
    'bp.imageLabel': '这一步训练所用的数字',
    'bp.controls': '一步训练',
    'bp.suggest': '网络把这个数字认成 {predicted}（p = {p}）。我们告诉它答案是 {label}（p = {q}），这样这一步就有需要纠正的东西；选任何标签都可以。',
    'bp.sameLabel': '标签 {label} 正是网络已经认出的数字（p = {p}）：损失很小，更新几乎不会改变什么。换一个数字，就能看到更大的一步。',
    'bp.logitsCaption': '∂L/∂logits = softmax − one-hot（独热向量）：每个数字的概率，标签 {label} 那一项再减去 1。反向传播就从这里开始。',
    'bp.rowDigit': '数字',
    'bp.rowProb': 'p（softmax）',
    'bp.rowOneHot': '独热向量 y',
    'bp.rowLogitGrad': '∂L/∂logit = p − y',
    'bp.layerTitle': '层 {index} · {label}——输出 {shape}',
    'bp.outputGrad': '∂L/∂(本层输出)：',
    'bp.kernelGrad': '∂L/∂{name}：每个卷积核的每个输入通道一张小图；‖∂L/∂W‖ = {norm}。',
    'bp.denseGrad': '∂L/∂{name}：每个输出单元一行；‖∂L/∂W‖ = {norm}。',
    'bp.mapLabel': '{label} 的梯度图 {c}',
    'bp.vectorLabel': '{label} 的梯度向量',
    'bp.kernelLabel': '卷积核 {o}、输入通道 {c} 的梯度',
    'bp.matrixLabel': '{label} 的权重梯度',
    'bp.colParam': '参数',
    'bp.colEntry': '元素',
    'bp.colBefore': '更新前',
    'bp.colGrad': '∂L/∂θ',
    'bp.colAfter': '更新后 = 更新前 − η·∂L/∂θ',
    'bp.colNorm': '‖∂L/∂θ‖',
    'bp.updateCaption': '学习率 η = {lr} 时的更新；每个张量只列出梯度最大的那个元素。',
    'bp.normsHeading': '梯度消失',
    'bp.normsIntro':
      '同样的一步，换成一个更深的网络——八个各有 32 个单元的全连接层——一次用 sigmoid 激活函数，一次用 ReLU。' +
      '柱子是每一层的 ‖∂L/∂W‖，第一层在最左边，纵轴是对数刻度：' +
      'sigmoid 的导数最大只有 0.25，所以梯度在往回传的路上一层比一层小；ReLU 则让它顺利通过。',
    'bp.normsRun': '在这个笔迹上比较',
    'bp.normsLabel': '每层的梯度范数：sigmoid（斜线填充，朱红色）对比 ReLU（蓝色）',
    'bp.normsLayer': '全连接层，从输入一侧数起',
    'bp.normsAxis': '‖∂L/∂W‖（对数刻度）',
    'bp.normsSigmoid': 'sigmoid',
    'bp.normsRelu': 'ReLU',
    'bp.normsText': '第一层的梯度与最后一层之比：sigmoid {sig}，ReLU {relu}。朱红色斜线柱：sigmoid；蓝色柱：ReLU。',

    'error.noModel': '无法获取训练好的模型 {url}（HTTP {status}）。',

    'footer.text': 'cnn-notebook · 本页的一切都在你的设备上计算，不会向任何地方发送数据。',
  },
};

/** The name of each language in itself, as the language switch shows it. */
export const languageNames = { en: 'English', zh: '简体中文' };
/** Where the learner's choice is remembered across visits. */
export const STORAGE_KEY = 'cnn-notebook.lang';
/** The Intl locale that formats numbers, and the <html lang> tag, of each language. */
const LOCALE = { en: 'en', zh: 'zh-CN' };
const HTML_LANG = { en: 'en', zh: 'zh-Hans' };

// localStorage can be missing (node, a worker), throw on access (sandboxed frames, some private
// modes) or refuse to write (quota): then the choice simply lasts for this visit.
function storage() {
  try {
    const s = globalThis.localStorage;
    return s && typeof s.getItem === 'function' ? s : null;
  } catch {
    return null;
  }
}

function storedLanguage() {
  try {
    return storage()?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

function rememberLanguage(code) {
  try {
    storage()?.setItem(STORAGE_KEY, code);
  } catch {
    // Not remembered; the page still switches.
  }
}

function browserLanguages() {
  const nav = globalThis.navigator;
  if (!nav) return [];
  return nav.languages?.length ? [...nav.languages] : nav.language ? [nav.language] : [];
}

/**
 * The language to start in: the one the learner chose on an earlier visit; else the first of the
 * browser's preferred languages that the page has (any zh-* reads 简体中文); else English.
 */
export function pickLanguage(stored, preferred = []) {
  if (stored && Object.hasOwn(strings, stored)) return stored;
  for (const tag of preferred) {
    const code = String(tag).toLowerCase().split(/[-_]/)[0];
    if (Object.hasOwn(strings, code)) return code;
  }
  return 'en';
}

let lang = 'en';
const listeners = new Set();

function use(code) {
  lang = code;
  if (typeof document !== 'undefined') document.documentElement.lang = HTML_LANG[code] ?? code;
}

// Chosen when the module loads, so that the page's first applyStrings() is already in it.
use(pickLanguage(storedLanguage(), browserLanguages()));

/**
 * Switch the page to `code` and remember the choice. When the language changes, every
 * data-i18n element is filled again and then each onLanguageChange callback runs, so that text
 * drawn by code (tables, messages, canvases) can be drawn again.
 */
export function setLanguage(code, { remember = true } = {}) {
  if (!Object.hasOwn(strings, code)) throw new Error(`no strings for language '${code}'`);
  const changed = code !== lang;
  use(code);
  if (remember) rememberLanguage(code);
  if (!changed) return;
  if (typeof document !== 'undefined') applyStrings();
  // Every callback runs even if one fails; the first failure is then thrown (the page shows it).
  let failure = null;
  for (const callback of [...listeners]) {
    try {
      callback(code);
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure) throw failure;
}

/** Call `callback(code)` after every change of language; returns a function that unsubscribes. */
export function onLanguageChange(callback) {
  listeners.add(callback);
  return () => listeners.delete(callback);
}

export function language() {
  return lang;
}

/** The Intl locale of the current language ('en', 'zh-CN'). */
export function locale() {
  return LOCALE[lang] ?? lang;
}

/**
 * The string for `key` with {name} placeholders filled from `values`. A value may be a function,
 * called each time the string is made: `{ backend: () => t('train.cpu') }` stays in the current
 * language when setText's elements are filled again.
 */
export function t(key, values = {}) {
  const s = strings[lang][key] ?? strings.en[key];
  if (s === undefined) throw new Error(`missing string '${key}'`);
  return s.replace(/\{(\w+)\}/g, (m, name) => {
    if (!(name in values)) return m;
    const v = values[name];
    return String(typeof v === 'function' ? v() : v);
  });
}

/**
 * The core's sentences (error messages, layer labels) arrive as data, `{ key, args }`, and are
 * written here in the current language: their English comes from the core itself
 * (`registerCoreStrings(core.messageTemplates())`, once the core has loaded), their other
 * languages from this table's `core.*` keys. An argument is text or a sentence of its own.
 */
export function registerCoreStrings(templates) {
  for (const [key, en] of Object.entries(templates)) strings.en[`core.${key}`] = en;
  for (const [lang, table] of Object.entries(coreStrings)) Object.assign((strings[lang] ??= {}), table);
}

/** Show a sentence from the core in `el` and keep it in the current language (like setText). */
export function setMessage(el, message) {
  if (message == null) return setText(el, null);
  setText(el, `core.${message.key}`, messageValues(message));
}

function messageValues(message) {
  const values = {};
  for (const [name, v] of Object.entries(message.args ?? {})) values[name] = typeof v === 'string' ? v : () => tm(v);
  return values;
}

/** A sentence from the core in the current language (see registerCoreStrings). */
export function tm(message) {
  if (message == null) return '';
  if (typeof message === 'string') return message;
  return t(`core.${message.key}`, messageValues(message));
}

/**
 * What went wrong, for the learner: an error the core explains (it carries `key` and `args`) in
 * the current language, any other error by its message.
 */
export function explain(err) {
  if (err && typeof err === 'object' && typeof err.key === 'string') return tm({ key: err.key, args: err.args });
  return err instanceof Error ? err.message : String(err);
}

/** A number formatted for the current language (61,706 in English). */
export function num(x, options) {
  return new Intl.NumberFormat(locale(), options).format(x);
}

/** The values each setText / setAttr element was last filled with, for applyStrings. */
const bound = new WeakMap();

function binding(el) {
  let b = bound.get(el);
  if (!b) bound.set(el, (b = { text: {}, attrs: {} }));
  return b;
}

/**
 * Show t(key, values) in `el` and keep it there across language changes (applyStrings fills it
 * again with the same values). A null key empties `el` and forgets the binding.
 */
export function setText(el, key, values = {}) {
  if (key == null) {
    delete el.dataset.i18n;
    el.textContent = '';
    return;
  }
  el.dataset.i18n = key;
  binding(el).text = values;
  el.textContent = t(key, values);
}

/** Like setText, for one attribute (title, aria-label…) of `el`. */
export function setAttr(el, attr, key, values = {}) {
  const others = (el.dataset.i18nAttr ?? '').split(';').filter((p) => p.trim() && p.split(':')[0].trim() !== attr);
  if (key == null) {
    if (others.length) el.dataset.i18nAttr = others.join(';');
    else delete el.dataset.i18nAttr;
    el.removeAttribute(attr);
    return;
  }
  el.dataset.i18nAttr = [...others, `${attr}:${key}`].join(';');
  binding(el).attrs[attr] = values;
  el.setAttribute(attr, t(key, values));
}

/** Fill every data-i18n / data-i18n-attr element under `root`. */
export function applyStrings(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n, bound.get(el)?.text);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      el.setAttribute(attr, t(key, bound.get(el)?.attrs[attr]));
    }
  }
  if (root === document) document.title = t('page.title');
}
