// Strings of the chapter "pooling": keys ch.pooling.*; every en key needs a zh translation.
// (The input presets' names are the convolution chapter's, ch.convolution.preset.*.)
export default {
  en: {
    'ch.pooling.title': 'Pooling and the receptive field',
    'ch.pooling.intro':
      'A pooling layer shrinks each feature map. It slides a window over the map, like a kernel but without weights, ' +
      'and keeps one number per position: the largest (max pooling) or the mean (average pooling). It has no parameters ' +
      'and pools every channel on its own. Max pooling keeps the strongest response in each patch, so a feature that moves ' +
      'by a pixel often gives the same output. Type your own numbers into the input, or step through the windows.',
    'ch.pooling.kind': 'Pooling',
    'ch.pooling.max': 'max',
    'ch.pooling.avg': 'average',
    'ch.pooling.inputSize': 'Input size W',
    'ch.pooling.window': 'Window F',
    'ch.pooling.stride': 'Stride S',
    'ch.pooling.input': 'Input',
    'ch.pooling.reroll': 'New random input',
    'ch.pooling.formula': 'Output size = ⌊(W − F) / S⌋ + 1 = ⌊({w} − {f}) / {s}⌋ + 1 = ⌊{span} / {s}⌋ + 1',
    'ch.pooling.result': '= {size}: the output is {size}×{size} (pooling here uses no padding).',
    'ch.pooling.noFit': 'The {f}×{f} window is larger than the {w}×{w} input: there is no output.',
    'ch.pooling.inputCaption': 'Input {w}×{w}',
    'ch.pooling.outputCaption.max': 'Output {o}×{o} (max pooling)',
    'ch.pooling.outputCaption.avg': 'Output {o}×{o} (average pooling)',
    'ch.pooling.noOutput': 'No output: the window does not fit.',
    'ch.pooling.inputCell': 'Input row {r}, column {c}',
    'ch.pooling.outputCell': 'Output row {r}, column {c}: {v}',
    'ch.pooling.legendWindow': 'Solid thick frame (blue): the pooling window',
    'ch.pooling.legendOutput': 'Double frame (vermillion): the output value it makes',
    'ch.pooling.legendWinner': '★ on orange: the value max pooling keeps',
    'ch.pooling.prev': '◀ Previous',
    'ch.pooling.next': 'Next ▶',
    'ch.pooling.play': '▶ Play',
    'ch.pooling.pause': '⏸ Pause',
    'ch.pooling.where':
      'Output row {y}, column {x} (position {k} of {n}; rows and columns count from 0): the window starts at input row ' +
      '{top}, column {left}.',
    'ch.pooling.noStep': 'Nothing to step through: there is no output.',
    'ch.pooling.maxLine': 'max({values}) = {value}: the {value} at row {r}, column {c} wins (★).',
    'ch.pooling.avgLine': '({values}) / {n} = {sum} / {n} = {value}',

    'ch.pooling.rf.heading': 'The receptive field: three 3×3 convolutions see what one 7×7 sees',
    'ch.pooling.rf.intro':
      'The receptive field of an output pixel is the patch of the input it depends on. One 3×3 convolution sees 3×3 ' +
      'pixels. Put a second 3×3 on top: each of the 3×3 values it reads already saw 3×3 pixels, so together it sees ' +
      '5×5; three see 7×7 — as much as one 7×7 convolution, with fewer parameters and three activation functions ' +
      'instead of one. This is why VGG stacks 3×3 convolutions. In general rf = 1 + Σ (Fᵢ − 1)·(the product of the ' +
      'strides of the layers before layer i).',
    'ch.pooling.rf.layers': 'Stacked 3×3 convolutions k',
    'ch.pooling.rf.channels': 'Channels C (in and out)',
    'ch.pooling.rf.gridInput': 'input',
    'ch.pooling.rf.gridConv': 'after conv {i}',
    'ch.pooling.rf.gridSingle': 'after one {s}×{s}',
    'ch.pooling.rf.figure':
      'Top row: the region each layer contributes to one output pixel of {k} stacked 3×3 convolutions, from the input: ' +
      '{sizes}. Bottom row: one {s}×{s} convolution reads a {s}×{s} region of the input.',
    'ch.pooling.rf.formula': 'rf = 1 + {terms} = {rf}',
    'ch.pooling.rf.sees':
      'One output pixel of {k} stacked 3×3 convolutions sees {rf}×{rf} input pixels; one {s}×{s} convolution sees ' +
      '{srf}×{srf}.',
    'ch.pooling.rf.stacked': '{k} stacked 3×3: {k}·(3·3·C·C + C) = {k}·(9·{c}² + {c}) = {k}·{layer} = {total} parameters',
    'ch.pooling.rf.single': 'One {s}×{s}: {s}·{s}·C·C + C = {s2}·{c}² + {c} = {total} parameters',
    'ch.pooling.rf.ratio':
      'The stack needs {pct} of the parameters of the single {s}×{s} convolution, and has {k} activation functions ' +
      'instead of one.',
    'ch.pooling.rf.same': 'With one layer the two are the same convolution.',
    'ch.pooling.rf.strided': 'With stride 2 in the first layer, every later layer adds twice as much: rf = 1 + {terms} = {rf}.',
  },
  zh: {
    'ch.pooling.title': '池化与感受野',
    'ch.pooling.intro':
      '池化层缩小每一张特征图。它像卷积核一样在特征图上滑动一个窗口，但没有权重，每个位置只保留一个数：' +
      '最大值（最大池化）或平均值（平均池化）。池化层没有参数，对每个通道分别池化。最大池化保留每一小块中最强的响应，' +
      '所以特征平移一个像素时，输出往往不变。可以在输入中输入你自己的数字，或逐个窗口单步查看。',
    'ch.pooling.kind': '池化方式',
    'ch.pooling.max': '最大池化',
    'ch.pooling.avg': '平均池化',
    'ch.pooling.inputSize': '输入尺寸 W',
    'ch.pooling.window': '窗口 F',
    'ch.pooling.stride': '步幅 S',
    'ch.pooling.input': '输入',
    'ch.pooling.reroll': '新的随机输入',
    'ch.pooling.formula': '输出尺寸 = ⌊(W − F) / S⌋ + 1 = ⌊({w} − {f}) / {s}⌋ + 1 = ⌊{span} / {s}⌋ + 1',
    'ch.pooling.result': '= {size}：输出为 {size}×{size}（这里的池化不使用填充）。',
    'ch.pooling.noFit': '{f}×{f} 的窗口比 {w}×{w} 的输入还大：没有输出。',
    'ch.pooling.inputCaption': '输入 {w}×{w}',
    'ch.pooling.outputCaption.max': '输出 {o}×{o}（最大池化）',
    'ch.pooling.outputCaption.avg': '输出 {o}×{o}（平均池化）',
    'ch.pooling.noOutput': '没有输出：窗口放不下。',
    'ch.pooling.inputCell': '输入第 {r} 行，第 {c} 列',
    'ch.pooling.outputCell': '输出第 {r} 行，第 {c} 列：{v}',
    'ch.pooling.legendWindow': '粗实线框（蓝色）：池化窗口',
    'ch.pooling.legendOutput': '双线框（朱红色）：它算出的输出值',
    'ch.pooling.legendWinner': '橙底 ★：最大池化保留的值',
    'ch.pooling.prev': '◀ 上一步',
    'ch.pooling.next': '下一步 ▶',
    'ch.pooling.play': '▶ 播放',
    'ch.pooling.pause': '⏸ 暂停',
    'ch.pooling.where': '输出第 {y} 行，第 {x} 列（第 {k} 个位置，共 {n} 个；行和列从 0 开始数）：窗口从输入的第 {top} 行、第 {left} 列开始。',
    'ch.pooling.noStep': '没有可以单步查看的位置：没有输出。',
    'ch.pooling.maxLine': 'max({values}) = {value}：第 {r} 行、第 {c} 列的 {value} 胜出（★）。',
    'ch.pooling.avgLine': '({values}) / {n} = {sum} / {n} = {value}',

    'ch.pooling.rf.heading': '感受野：三个 3×3 卷积看到的与一个 7×7 卷积相同',
    'ch.pooling.rf.intro':
      '输出像素的感受野是它所依赖的那一块输入。一个 3×3 卷积看到 3×3 个像素。在上面再叠一个 3×3：它读取的 3×3 个值' +
      '每个都已经看到了 3×3 个像素，所以合起来看到 5×5；三个看到 7×7——与一个 7×7 卷积一样多，但参数更少，' +
      '而且有三个激活函数而不是一个。这就是 VGG 堆叠 3×3 卷积的原因。一般地，rf = 1 + Σ (Fᵢ − 1)·（第 i 层之前各层步幅的乘积）。',
    'ch.pooling.rf.layers': '堆叠的 3×3 卷积层数 k',
    'ch.pooling.rf.channels': '通道数 C（输入与输出）',
    'ch.pooling.rf.gridInput': '输入',
    'ch.pooling.rf.gridConv': '第 {i} 个卷积之后',
    'ch.pooling.rf.gridSingle': '一个 {s}×{s} 卷积之后',
    'ch.pooling.rf.figure':
      '上一行：{k} 个堆叠的 3×3 卷积中，一个输出像素在各层所依赖的区域，从输入开始：{sizes}。' +
      '下一行：一个 {s}×{s} 卷积读取输入中 {s}×{s} 的区域。',
    'ch.pooling.rf.formula': 'rf = 1 + {terms} = {rf}',
    'ch.pooling.rf.sees': '{k} 个堆叠的 3×3 卷积的一个输出像素看到 {rf}×{rf} 个输入像素；一个 {s}×{s} 卷积看到 {srf}×{srf} 个。',
    'ch.pooling.rf.stacked': '{k} 个堆叠的 3×3：{k}·(3·3·C·C + C) = {k}·(9·{c}² + {c}) = {k}·{layer} = {total} 个参数',
    'ch.pooling.rf.single': '一个 {s}×{s}：{s}·{s}·C·C + C = {s2}·{c}² + {c} = {total} 个参数',
    'ch.pooling.rf.ratio': '堆叠只需要单个 {s}×{s} 卷积 {pct} 的参数，并且有 {k} 个激活函数而不是一个。',
    'ch.pooling.rf.same': '只有一层时，两者是同一个卷积。',
    'ch.pooling.rf.strided': '如果第一层的步幅为 2，之后每一层增加的范围都翻倍：rf = 1 + {terms} = {rf}。',
  },
};
