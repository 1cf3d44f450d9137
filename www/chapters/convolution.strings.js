// Strings of the chapter "convolution": keys ch.convolution.*; every en key needs a zh translation.
export default {
  en: {
    'ch.convolution.title': 'Convolution: a kernel sliding over the input',
    'ch.convolution.intro':
      'A convolutional layer slides a small grid of weights — the kernel — over its input. At each position it multiplies ' +
      'every input value under the kernel by the weight over it and adds the products, plus a bias: that sum is one value ' +
      'of the output, the feature map. The stride S is how many cells the kernel moves each step; the padding P is a ' +
      'border of zeros around the input, so the kernel can also sit over the edges. Change the settings, or type your own ' +
      'numbers into the input and the kernel; step through the positions to see each sum.',
    'ch.convolution.inputSize': 'Input size W',
    'ch.convolution.kernelSize': 'Kernel size F',
    'ch.convolution.stride': 'Stride S',
    'ch.convolution.padding': 'Padding P',
    'ch.convolution.inputPreset': 'Input',
    'ch.convolution.kernelPreset': 'Kernel',
    'ch.convolution.bias': 'Bias b',
    'ch.convolution.reroll': 'New random input',
    'ch.convolution.preset.edge': 'edge (bright left, dark right)',
    'ch.convolution.preset.square': 'bright square',
    'ch.convolution.preset.diagonal': 'diagonal',
    'ch.convolution.preset.random': 'random',
    'ch.convolution.preset.custom': 'your own',
    'ch.convolution.kernel.vertical-edge': 'vertical edge',
    'ch.convolution.kernel.horizontal-edge': 'horizontal edge',
    'ch.convolution.kernel.blur': 'blur (mean)',
    'ch.convolution.kernel.sharpen': 'sharpen',
    'ch.convolution.kernel.identity': 'identity',
    'ch.convolution.kernel.random': 'random',
    'ch.convolution.formula': 'Output size = ⌊(W − F + 2P) / S⌋ + 1 = ⌊({w} − {f} + 2·{p}) / {s}⌋ + 1 = ⌊{span} / {s}⌋ + 1',
    'ch.convolution.result': '= {size}: the output is {size}×{size}.',
    'ch.convolution.noFit':
      'The window does not fit: the padded input is {padded}×{padded}, smaller than the {f}×{f} kernel, so there is no output. ' +
      'Add padding or choose a smaller kernel.',
    'ch.convolution.unused':
      'The division leaves a remainder of {n}: the last {n} of the {padded} padded rows (and columns) are never under the ' +
      'kernel. That is what the floor ⌊ ⌋ drops.',
    'ch.convolution.inputCaption': 'Input {w}×{w} with padding {p}',
    'ch.convolution.kernelCaption': 'Kernel {f}×{f} (weights)',
    'ch.convolution.outputCaption': 'Output {o}×{o} (feature map)',
    'ch.convolution.noOutput': 'No output: the kernel does not fit.',
    'ch.convolution.inputCell': 'Input row {r}, column {c}',
    'ch.convolution.kernelCell': 'Kernel weight row {r}, column {c}',
    'ch.convolution.outputCell': 'Output row {r}, column {c}: {v}',
    'ch.convolution.legendWindow': 'Solid thick frame (blue): the window under the kernel',
    'ch.convolution.legendOutput': 'Double frame (vermillion): the output value it makes',
    'ch.convolution.legendPad': 'Dashed grey cells: padding, always 0',
    'ch.convolution.prev': '◀ Previous',
    'ch.convolution.next': 'Next ▶',
    'ch.convolution.play': '▶ Play',
    'ch.convolution.pause': '⏸ Pause',
    'ch.convolution.where':
      'Output row {y}, column {x} (position {k} of {n}; rows and columns count from 0): the window starts at row {top}, ' +
      'column {left} of the padded input, that is row × S and column × S.',
    'ch.convolution.noStep': 'Nothing to step through: there is no output.',
    'ch.convolution.products': 'Input value × weight, for every cell of the window:',
    'ch.convolution.sum': 'Sum of the {n} products: {terms} = {sum}',
    'ch.convolution.value': '{sum} + bias {bias} = {value}: the output at row {y}, column {x}.',

    'ch.convolution.channels.heading': 'Channels: the kernel is as deep as the input, one output map per kernel',
    'ch.convolution.channels.intro':
      'Real inputs have several channels — a colour image has three: red, green and blue — and a feature map stack has ' +
      'as many as the layer before had kernels. A kernel then has the same depth as its input: one F×F slice per input ' +
      'channel. Its output value is the sum, over all channels, of window × slice, plus its one bias; so each kernel ' +
      'makes one output map, and C_out kernels make the C_out channels of the output. The numbers here are small random ' +
      'integers, drawn purple for negative, white for zero, orange for positive (yellow for the largest when none is ' +
      'negative).',
    'ch.convolution.channels.cin': 'Input channels C_in',
    'ch.convolution.channels.cout': 'Kernels (output channels) C_out',
    'ch.convolution.channels.uses': 'Same W = {w}, F = {f}, S = {s}, P = {p} as above.',
    'ch.convolution.channels.shapeInput': 'Input: {c} channels of {w}×{w}',
    'ch.convolution.channels.shapeKernels': 'Kernels ({cout}, {cin}, {f}, {f}): {cout} kernels of {f}×{f}×{cin}',
    'ch.convolution.channels.shapeOutput': 'Output: {c} maps of {o}×{o}',
    'ch.convolution.channels.channelLabel': 'channel {c}',
    'ch.convolution.channels.kernelLabel': 'kernel {k}',
    'ch.convolution.channels.sliceLabel': 'kernel {k}, slice {c}',
    'ch.convolution.channels.mapLabel': 'map {k}',
    'ch.convolution.channels.depth':
      'Each kernel is {f}×{f}×{cin}: its depth, {cin}, is the input depth C_in. {cout} kernels make {cout} output maps.',
    'ch.convolution.channels.params':
      'Parameters = F·F·C_in·C_out + C_out = {f}·{f}·{cin}·{cout} + {cout} = {weights} weights + {biases} biases = {params}',
  },
  zh: {
    'ch.convolution.title': '卷积：在输入上滑动的卷积核',
    'ch.convolution.intro':
      '卷积层把一小块权重网格——卷积核——在输入上滑动。在每个位置，它把卷积核下方的每个输入值与对应的权重相乘，' +
      '再把这些乘积相加，加上偏置：这个和就是输出（特征图）中的一个值。步幅 S 是卷积核每一步移动的格数；' +
      '填充 P 是围在输入四周的一圈零，让卷积核也能覆盖边缘。改变设置，或在输入和卷积核中输入你自己的数字；' +
      '逐个位置单步查看每一个和。',
    'ch.convolution.inputSize': '输入尺寸 W',
    'ch.convolution.kernelSize': '卷积核尺寸 F',
    'ch.convolution.stride': '步幅 S',
    'ch.convolution.padding': '填充 P',
    'ch.convolution.inputPreset': '输入',
    'ch.convolution.kernelPreset': '卷积核',
    'ch.convolution.bias': '偏置 b',
    'ch.convolution.reroll': '新的随机输入',
    'ch.convolution.preset.edge': '边缘（左亮右暗）',
    'ch.convolution.preset.square': '亮方块',
    'ch.convolution.preset.diagonal': '对角线',
    'ch.convolution.preset.random': '随机',
    'ch.convolution.preset.custom': '自定义',
    'ch.convolution.kernel.vertical-edge': '竖直边缘',
    'ch.convolution.kernel.horizontal-edge': '水平边缘',
    'ch.convolution.kernel.blur': '模糊（均值）',
    'ch.convolution.kernel.sharpen': '锐化',
    'ch.convolution.kernel.identity': '恒等',
    'ch.convolution.kernel.random': '随机',
    'ch.convolution.formula': '输出尺寸 = ⌊(W − F + 2P) / S⌋ + 1 = ⌊({w} − {f} + 2·{p}) / {s}⌋ + 1 = ⌊{span} / {s}⌋ + 1',
    'ch.convolution.result': '= {size}：输出为 {size}×{size}。',
    'ch.convolution.noFit':
      '窗口放不下：填充后的输入是 {padded}×{padded}，比 {f}×{f} 的卷积核还小，所以没有输出。' +
      '请增加填充或选择更小的卷积核。',
    'ch.convolution.unused':
      '除法余 {n}：填充后的 {padded} 行（和列）中，最后 {n} 行（列）从未被卷积核覆盖。这正是向下取整 ⌊ ⌋ 舍去的部分。',
    'ch.convolution.inputCaption': '输入 {w}×{w}，填充 {p}',
    'ch.convolution.kernelCaption': '卷积核 {f}×{f}（权重）',
    'ch.convolution.outputCaption': '输出 {o}×{o}（特征图）',
    'ch.convolution.noOutput': '没有输出：卷积核放不下。',
    'ch.convolution.inputCell': '输入第 {r} 行，第 {c} 列',
    'ch.convolution.kernelCell': '卷积核权重第 {r} 行，第 {c} 列',
    'ch.convolution.outputCell': '输出第 {r} 行，第 {c} 列：{v}',
    'ch.convolution.legendWindow': '粗实线框（蓝色）：卷积核下方的窗口',
    'ch.convolution.legendOutput': '双线框（朱红色）：它算出的输出值',
    'ch.convolution.legendPad': '灰色虚线格：填充，值总是 0',
    'ch.convolution.prev': '◀ 上一步',
    'ch.convolution.next': '下一步 ▶',
    'ch.convolution.play': '▶ 播放',
    'ch.convolution.pause': '⏸ 暂停',
    'ch.convolution.where':
      '输出第 {y} 行，第 {x} 列（第 {k} 个位置，共 {n} 个；行和列从 0 开始数）：窗口从填充后输入的第 {top} 行、' +
      '第 {left} 列开始，即 行 × S 与 列 × S。',
    'ch.convolution.noStep': '没有可以单步查看的位置：没有输出。',
    'ch.convolution.products': '窗口中每个格子的 输入值 × 权重：',
    'ch.convolution.sum': '{n} 个乘积之和：{terms} = {sum}',
    'ch.convolution.value': '{sum} + 偏置 {bias} = {value}：第 {y} 行、第 {x} 列的输出。',

    'ch.convolution.channels.heading': '通道：卷积核与输入一样深，每个卷积核产生一张特征图',
    'ch.convolution.channels.intro':
      '真实的输入有多个通道——彩色图像有红、绿、蓝三个通道——而一叠特征图的通道数等于上一层卷积核的个数。' +
      '这时卷积核的深度与输入相同：每个输入通道对应一个 F×F 的切片。它的输出值是所有通道上 窗口 × 切片 的总和，' +
      '再加上它唯一的偏置；所以每个卷积核产生一张输出特征图，C_out 个卷积核产生输出的 C_out 个通道。' +
      '这里的数字是小的随机整数，负数画成紫色，零为白色，正数为橙色（没有负数时，最大值为黄色）。',
    'ch.convolution.channels.cin': '输入通道数 C_in',
    'ch.convolution.channels.cout': '卷积核个数（输出通道数）C_out',
    'ch.convolution.channels.uses': 'W = {w}、F = {f}、S = {s}、P = {p} 与上面相同。',
    'ch.convolution.channels.shapeInput': '输入：{c} 个 {w}×{w} 的通道',
    'ch.convolution.channels.shapeKernels': '卷积核 ({cout}, {cin}, {f}, {f})：{cout} 个 {f}×{f}×{cin} 的卷积核',
    'ch.convolution.channels.shapeOutput': '输出：{c} 张 {o}×{o} 的特征图',
    'ch.convolution.channels.channelLabel': '通道 {c}',
    'ch.convolution.channels.kernelLabel': '卷积核 {k}',
    'ch.convolution.channels.sliceLabel': '卷积核 {k}，切片 {c}',
    'ch.convolution.channels.mapLabel': '特征图 {k}',
    'ch.convolution.channels.depth':
      '每个卷积核是 {f}×{f}×{cin}：它的深度 {cin} 等于输入深度 C_in。{cout} 个卷积核产生 {cout} 张输出特征图。',
    'ch.convolution.channels.params':
      '参数量 = F·F·C_in·C_out + C_out = {f}·{f}·{cin}·{cout} + {cout} = {weights} 个权重 + {biases} 个偏置 = {params}',
  },
};
