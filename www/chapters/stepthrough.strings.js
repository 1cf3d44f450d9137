// Strings of the chapter "Forward propagation, layer by layer": keys forward.*, inspect.*; every en key needs a zh translation.
export default {
  en: {
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
    'inspect.code.n': 'n = 0: the one image on the pad',
    'inspect.code.o': 'o = {o}: feature map {o}',
    'inspect.code.i': 'i = {i}: row {i}',
    'inspect.code.j': 'j = {j}: column {j}',
    'inspect.code.bias': 'sum starts at the bias b[{o}] = {bias}',
    'inspect.code.c': 'c = 0…{last}: each of the {cin} input channels',
    'inspect.code.u': 'u = 0…{last}: input rows {top} to {bottom}',
    'inspect.code.v': 'v = 0…{last}: input columns {left} to {right}',
    'inspect.code.products': 'adds {n} products (padding cells skipped): Σ = {sum}',
    'inspect.code.store': 'y[0, {o}, {i}, {j}] = {value}',
  },
  zh: {
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
    'inspect.code.n': 'n = 0：画板上的这一张图',
    'inspect.code.o': 'o = {o}：特征图 {o}',
    'inspect.code.i': 'i = {i}：第 {i} 行',
    'inspect.code.j': 'j = {j}：第 {j} 列',
    'inspect.code.bias': 'sum 从偏置 b[{o}] = {bias} 开始',
    'inspect.code.c': 'c = 0…{last}：{cin} 个输入通道逐个累加',
    'inspect.code.u': 'u = 0…{last}：输入的第 {top} 到 {bottom} 行',
    'inspect.code.v': 'v = 0…{last}：输入的第 {left} 到 {right} 列',
    'inspect.code.products': '累加 {n} 个乘积（跳过填充格）：Σ = {sum}',
    'inspect.code.store': 'y[0, {o}, {i}, {j}] = {value}',
  },
};
