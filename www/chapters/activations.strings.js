// Strings of the chapter "activations": keys ch.activations.*; every en key needs a zh translation.
export default {
  en: {
    'ch.activations.title': 'Activation functions and their derivatives',
    'ch.activations.intro':
      'Backpropagation multiplies the gradient by the activation’s derivative f′(x) at every layer it passes through. Where f′ is close to 0 the function is flat — saturated — and almost no gradient gets through, so the weights below stop learning. ' +
      'The top plot is f(x), the bottom one f′(x) over [−6, 6], both computed by the core’s activation kernels (forward, and backward with an upstream gradient of 1). The hatched bands mark where f′(x) < 0.1.',
    'ch.activations.fn': 'Activation',
    'ch.activations.x': 'x',
    'ch.activations.layers': 'Layers n',
    'ch.activations.act.sigmoid': 'sigmoid',
    'ch.activations.act.tanh': 'tanh',
    'ch.activations.act.relu': 'ReLU',
    'ch.activations.act.leaky-relu': 'leaky ReLU (slope 0.01)',
    'ch.activations.fx': 'f({x}) = {y}',
    'ch.activations.dfx': 'f′({x}) = {d}',
    'ch.activations.saturated': 'saturated: f′ < 0.1',
    'ch.activations.notSaturated': 'not saturated: f′ ≥ 0.1',
    'ch.activations.chain': 'Through {n} layers at this x the gradient is multiplied by f′(x)ⁿ = {p}.',
    'ch.activations.plotLabel': 'Plot of {name} (solid blue line, top) and its derivative (dashed vermillion line, bottom) from −6 to 6; hatched bands where the derivative is below 0.1; a marker at x = {x}',
    'ch.activations.legendF': '━ f(x)',
    'ch.activations.legendD': '┅ f′(x)',
    'ch.activations.legendSat': '▨ f′(x) < 0.1 (saturated)',
    'ch.activations.note.sigmoid':
      'sigmoid′(x) = σ(x)(1 − σ(x)) is at most 0.25, at x = 0. So through n sigmoid layers the gradient shrinks by at least a factor 0.25ⁿ (10 layers: below 10⁻⁶), and far less where |x| is large: the vanishing gradient.',
    'ch.activations.note.tanh':
      'tanh′(x) = 1 − tanh²(x) reaches 1 at x = 0, four times sigmoid’s best, and tanh is centred on 0. But for |x| > 3 it is below 0.01: a tanh unit pushed far from 0 saturates just as sigmoid does.',
    'ch.activations.note.relu':
      'ReLU′(x) is exactly 1 for x > 0: the gradient passes unchanged through any number of active layers. For x < 0 it is 0 — the unit is “dead” for that input, and a unit that is negative for every input never learns again.',
    'ch.activations.note.leaky-relu':
      'Leaky ReLU keeps a small slope (0.01) for x < 0, so a negative unit still passes a little gradient and can come back, while x > 0 behaves like ReLU (slope 1).',
  },
  zh: {
    'ch.activations.title': '激活函数及其导数',
    'ch.activations.intro':
      '反向传播每经过一层，都要把梯度乘以激活函数在该点的导数 f′(x)。f′ 接近 0 的地方函数是平的——即“饱和”——几乎没有梯度能传过去，于是下面各层的权重就不再学习。' +
      '上图是 f(x)，下图是 f′(x)，范围 [−6, 6]，都由核心的激活函数内核计算（前向传播，以及上游梯度为 1 的反向传播）。斜线阴影标出 f′(x) < 0.1 的区域。',
    'ch.activations.fn': '激活函数',
    'ch.activations.x': 'x',
    'ch.activations.layers': '层数 n',
    'ch.activations.act.sigmoid': 'sigmoid',
    'ch.activations.act.tanh': 'tanh',
    'ch.activations.act.relu': 'ReLU',
    'ch.activations.act.leaky-relu': 'Leaky ReLU（斜率 0.01）',
    'ch.activations.fx': 'f({x}) = {y}',
    'ch.activations.dfx': 'f′({x}) = {d}',
    'ch.activations.saturated': '饱和：f′ < 0.1',
    'ch.activations.notSaturated': '未饱和：f′ ≥ 0.1',
    'ch.activations.chain': '在这个 x 处经过 {n} 层，梯度要乘以 f′(x)ⁿ = {p}。',
    'ch.activations.plotLabel': '{name}（上方蓝色实线）及其导数（下方朱红色虚线）在 −6 到 6 上的图像；导数小于 0.1 的区域画有斜线阴影；x = {x} 处有标记',
    'ch.activations.legendF': '━ f(x)',
    'ch.activations.legendD': '┅ f′(x)',
    'ch.activations.legendSat': '▨ f′(x) < 0.1（饱和）',
    'ch.activations.note.sigmoid':
      'sigmoid′(x) = σ(x)(1 − σ(x)) 最大只有 0.25（在 x = 0 处）。所以梯度每穿过一层 sigmoid 至少缩小为 0.25 倍，n 层后不超过 0.25ⁿ（10 层：小于 10⁻⁶）；|x| 大的地方缩得更厉害——这就是梯度消失。',
    'ch.activations.note.tanh':
      'tanh′(x) = 1 − tanh²(x) 在 x = 0 处达到 1，是 sigmoid 最大值的四倍，而且 tanh 以 0 为中心。但 |x| > 3 时它小于 0.01：远离 0 的 tanh 单元和 sigmoid 一样会饱和。',
    'ch.activations.note.relu':
      'x > 0 时 ReLU′(x) 恰好为 1：梯度穿过任意多个激活的层都不会衰减。x < 0 时导数为 0——该单元对这个输入“死亡”；若对所有输入都为负，它就再也学不动了。',
    'ch.activations.note.leaky-relu':
      'Leaky ReLU 在 x < 0 时保留一个小斜率（0.01），所以为负的单元仍能传回一点梯度，还有机会恢复；x > 0 时与 ReLU 相同（斜率 1）。',
  },
};
