// Strings of the chapter "init": keys ch.init.*; every en key needs a zh translation.
export default {
  en: {
    'ch.init.title': 'Weight initialisation: where training starts',
    'ch.init.intro':
      'Before the first step every weight needs a value. Two things can go wrong. If the units of a layer start alike, they stay alike: ' +
      'gradient descent cannot tell them apart. And if the weights are too small or too large for the depth and the activation, the ' +
      'signal shrinks or grows from layer to layer until nothing useful reaches the end. Initialisation schemes (Xavier, He) choose ' +
      'the spread of the random weights so that the signal keeps its size.',
    'ch.init.symHeading': 'Equal weights: two hidden units that stay one',
    'ch.init.symIntro':
      'The 2-2-1 network of the descent chapter learns 24 points (x₁, x₂ in [−1, 1], y = 1 where they have the same sign, else 0), ' +
      'each step on all of them (the mean gradient) with η = {lr}. Start it with every weight equal (0.5, biases 0): both hidden units ' +
      'compute the same value, so backpropagation gives them the same gradient and the update keeps them equal — after any number of ' +
      'steps, while the loss goes on falling. Start it with random weights and the two units learn different things.',
    'ch.init.startLegend': 'The start and the steps',
    'ch.init.start': 'Start',
    'ch.init.equal': 'all weights equal',
    'ch.init.random': 'random (Xavier)',
    'ch.init.step': 'Step',
    'ch.init.step10': '10 steps',
    'ch.init.reset': 'Start again',
    'ch.init.status0': 'Start: {start}. No step taken yet.',
    'ch.init.status': 'Steps taken: {steps}. Loss now: {loss}.',
    'ch.init.unitsCaption': 'The two hidden units side by side (after the last step) and the gradients they received',
    'ch.init.param': 'parameter (unit 1 | unit 2)',
    'ch.init.unit1': 'unit 1',
    'ch.init.unit2': 'unit 2',
    'ch.init.grad1': '∂L/∂ unit 1',
    'ch.init.grad2': '∂L/∂ unit 2',
    'ch.init.rowIn1': 'weight from x₁',
    'ch.init.rowIn2': 'weight from x₂',
    'ch.init.rowBias': 'bias',
    'ch.init.rowOut': 'weight to the output',
    'ch.init.identicalStart': 'The two units start identical, digit for digit: take a step and see whether they part.',
    'ch.init.identical': 'The two units are identical, digit for digit, after {steps} steps: the network has in effect one hidden unit.',
    'ch.init.differ': 'The two units differ (by up to {gap}): each can learn its own feature.',

    'ch.init.deepHeading': 'Activations through a deep network',
    'ch.init.deepIntro':
      'A network of {depth} dense layers of {width} units each takes {batch} random inputs (each value drawn from N(0, 1)). Each panel is ' +
      'the histogram of one layer’s activations, all on the same axis. With weights from N(0, 0.01²) each layer multiplies the spread ' +
      'by about 0.01·√{width}, far below 1: the signal dies (for sigmoid every value sits at sigmoid(0) = 0.5). Xavier scales the ' +
      'weights by the layer’s size and keeps tanh alive; He doubles the variance for ReLU, which zeroes half of its inputs. Sigmoid, whose ' +
      'outputs are not centred at 0, loses the signal under every start: its units drift to values that hardly change from one input ' +
      'to the next, which the histograms show as a few tall bars.',
    'ch.init.deepLegend': 'The initialisation and the activation',
    'ch.init.scheme': 'Initialisation',
    'ch.init.activation': 'Activation',
    'ch.init.gaussian': 'too small: N(0, 0.01²)',
    'ch.init.xavier': 'Xavier (uniform)',
    'ch.init.he': 'He (normal)',
    'ch.init.sigmoid': 'sigmoid',
    'ch.init.tanh': 'tanh',
    'ch.init.relu': 'ReLU',
    'ch.init.deepSummary': '{init} with {act}: the signal (how much a unit’s output changes from input to input) is {first} in layer 1 and {last} in the last layer (ratio {ratio}): {verdict}.',
    'ch.init.alive': 'the signal stays alive',
    'ch.init.dying': 'the signal shrinks away',
    'ch.init.growing': 'the signal grows',
    'ch.init.layer': 'Layer {n}',
    'ch.init.stats': 'mean {mean}, std {std}, signal {signal}',
    'ch.init.histLabel': 'Histogram of the activations of layer {n}: mean {mean}, standard deviation {std}.',
  },
  zh: {
    'ch.init.title': '权重初始化：训练从哪里开始',
    'ch.init.intro':
      '在第一步之前，每个权重都需要一个值。这里有两种出错的方式。如果一层中的各个单元一开始完全相同，它们就会一直相同：' +
      '梯度下降无法把它们区分开。如果权重相对于网络深度和激活函数太小或太大，信号就会一层层缩小或放大，直到没有有用的信息到达末端。' +
      '初始化方法（Xavier、He）会选择随机权重的分布宽度，使信号保持原来的大小。',
    'ch.init.symHeading': '相等的权重：两个隐藏单元始终如同一个',
    'ch.init.symIntro':
      '梯度下降一章中的 2-2-1 网络学习 24 个点（x₁、x₂ 在 [−1, 1] 内，两者同号时 y = 1，否则为 0），每一步都用全部点（平均梯度），η = {lr}。' +
      '如果所有权重一开始都相等（0.5，偏置为 0），两个隐藏单元就会算出相同的值，因此反向传播给它们相同的梯度，' +
      '更新也让它们保持相等——无论走多少步，尽管损失一直在下降。' +
      '用随机权重开始，两个单元就会学到不同的东西。',
    'ch.init.startLegend': '起点和步骤',
    'ch.init.start': '起点',
    'ch.init.equal': '所有权重相等',
    'ch.init.random': '随机（Xavier）',
    'ch.init.step': '走一步',
    'ch.init.step10': '走 10 步',
    'ch.init.reset': '重新开始',
    'ch.init.status0': '起点：{start}。还没有走任何一步。',
    'ch.init.status': '已走步数：{steps}。当前损失：{loss}。',
    'ch.init.unitsCaption': '两个隐藏单元并排对比（最后一步之后）以及它们得到的梯度',
    'ch.init.param': '参数（单元 1 | 单元 2）',
    'ch.init.unit1': '单元 1',
    'ch.init.unit2': '单元 2',
    'ch.init.grad1': '∂L/∂ 单元 1',
    'ch.init.grad2': '∂L/∂ 单元 2',
    'ch.init.rowIn1': '来自 x₁ 的权重',
    'ch.init.rowIn2': '来自 x₂ 的权重',
    'ch.init.rowBias': '偏置',
    'ch.init.rowOut': '到输出的权重',
    'ch.init.identicalStart': '两个单元一开始逐位完全相同：走一步，看看它们会不会分开。',
    'ch.init.identical': '走了 {steps} 步之后，两个单元仍然逐位完全相同：这个网络实际上只有一个隐藏单元。',
    'ch.init.differ': '两个单元不同（最多相差 {gap}）：每个单元都能学到自己的特征。',

    'ch.init.deepHeading': '深层网络中的激活值',
    'ch.init.deepIntro':
      '一个由 {depth} 个全连接层（每层 {width} 个单元）组成的网络接收 {batch} 个随机输入（每个值取自 N(0, 1)）。每个面板是一层激活值的直方图，' +
      '所有面板使用同一坐标轴。权重取自 N(0, 0.01²) 时，每一层把分布宽度乘以约 0.01·√{width}，远小于 1：信号消失了' +
      '（对 sigmoid 来说，每个值都停在 sigmoid(0) = 0.5）。Xavier 按层的大小缩放权重，使 tanh 的信号保持；' +
      'He 把方差加倍，以适应会把一半输入置零的 ReLU。sigmoid 的输出不以 0 为中心，无论怎样初始化都会丢失信号：' +
      '它的单元会漂移到几乎不随输入变化的值，直方图上显示为几根很高的柱子。',
    'ch.init.deepLegend': '初始化方法和激活函数',
    'ch.init.scheme': '初始化',
    'ch.init.activation': '激活函数',
    'ch.init.gaussian': '太小：N(0, 0.01²)',
    'ch.init.xavier': 'Xavier（均匀分布）',
    'ch.init.he': 'He（正态分布）',
    'ch.init.sigmoid': 'sigmoid',
    'ch.init.tanh': 'tanh',
    'ch.init.relu': 'ReLU',
    'ch.init.deepSummary': '{init} 配合 {act}：信号（一个单元的输出随输入变化的幅度）在第 1 层为 {first}，在最后一层为 {last}（比值 {ratio}）：{verdict}。',
    'ch.init.alive': '信号保持活跃',
    'ch.init.dying': '信号逐渐消失',
    'ch.init.growing': '信号不断增大',
    'ch.init.layer': '第 {n} 层',
    'ch.init.stats': '均值 {mean}，标准差 {std}，信号 {signal}',
    'ch.init.histLabel': '第 {n} 层激活值的直方图：均值 {mean}，标准差 {std}。',
  },
};
