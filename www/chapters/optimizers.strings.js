// Strings of the chapter "optimizers": keys ch.optimizers.*; every en key needs a zh translation.
export default {
  en: {
    'ch.optimizers.title': 'Optimizers: SGD, momentum and Adam',
    'ch.optimizers.intro':
      'Gradient descent takes each step against the gradient: θ ← θ − η·g. Momentum keeps a velocity, v ← μ·v + g, and steps ' +
      'along it, θ ← θ − η·v, so steps that agree add up and steps that flip cancel. Adam keeps a running mean of the gradients ' +
      '(β₁) and of their squares (β₂) and divides one by the root of the other, so every parameter moves about η per step however ' +
      'steep its slope. Here the three race on a surface of two parameters, x and y, from the same start, with the core’s own ' +
      'update rules, the ones that train LeNet. Pick a surface, set the sliders, and step or play.',
    'ch.optimizers.surface': 'Surface',
    'ch.optimizers.valley': 'a narrow valley: f = ½(x²/10 + 2y²)',
    'ch.optimizers.saddle': 'a saddle: f = x² − y² + ½y⁴',
    'ch.optimizers.lr': 'Learning rate η',
    'ch.optimizers.momentum': 'Momentum μ',
    'ch.optimizers.momentumName': 'Momentum',
    'ch.optimizers.beta1': 'Adam β₁',
    'ch.optimizers.beta2': 'Adam β₂',
    'ch.optimizers.step': 'Step',
    'ch.optimizers.play': 'Play',
    'ch.optimizers.pause': 'Pause',
    'ch.optimizers.reset': 'Back to the start',
    'ch.optimizers.sgd': 'SGD',
    'ch.optimizers.adam': 'Adam',
    'ch.optimizers.status': 'Step {step} of {steps}, η = {lr}.',
    'ch.optimizers.col.optimizer': 'Optimizer',
    'ch.optimizers.col.x': 'x',
    'ch.optimizers.col.y': 'y',
    'ch.optimizers.col.loss': 'loss f(x, y)',
    'ch.optimizers.diverged': '(left the numbers after step {step}: η is too large)',
    'ch.optimizers.caption.valley':
      'The valley curves 20 times more sharply across (y) than along (x): a rate small enough not to bounce from wall to wall ' +
      'crawls along the floor. SGD zigzags or crawls; momentum gathers speed along the floor; Adam moves both coordinates ' +
      'at about η per step. Darker bands are lower; the white ring is the start.',
    'ch.optimizers.caption.saddle':
      'At the saddle (0, 0) the slope is flat: the start sits on the ridge, a hair above y = 0. SGD’s y grows by a factor ' +
      '1 + 2η per step, slowly at first; Adam’s step does not shrink with the slope and leaves the ridge at once for a floor ' +
      'at y = ±1. Darker bands are lower; the white ring is the start.',
    'ch.optimizers.lab':
      'The same three optimizers on LeNet: in the training lab, train once with SGD, once with momentum and once with Adam at the ' +
      'same settings, then tick “compare” on the earlier runs to see their loss curves together.',
    'ch.optimizers.labLink': 'Go to the training lab.',
  },
  zh: {
    'ch.optimizers.title': '优化器：SGD、动量与 Adam',
    'ch.optimizers.intro':
      '梯度下降每一步都逆着梯度走：θ ← θ − η·g。动量法保留一个速度 v ← μ·v + g，并沿它前进 θ ← θ − η·v，方向一致的步子会累加，来回翻转的步子会相互抵消。' +
      'Adam 保留梯度的滑动平均（β₁）和梯度平方的滑动平均（β₂），用前者除以后者的平方根，所以无论坡度多陡，每个参数每步大约移动 η。' +
      '这里三种优化器在一个只有两个参数 x、y 的曲面上从同一起点出发比赛，用的是核心自己的更新规则，也就是训练 LeNet 的那些。选择一个曲面，调好滑块，单步或播放。',
    'ch.optimizers.surface': '曲面',
    'ch.optimizers.valley': '狭长的山谷：f = ½(x²/10 + 2y²)',
    'ch.optimizers.saddle': '鞍点：f = x² − y² + ½y⁴',
    'ch.optimizers.lr': '学习率 η',
    'ch.optimizers.momentum': '动量 μ',
    'ch.optimizers.momentumName': '动量法',
    'ch.optimizers.beta1': 'Adam 的 β₁',
    'ch.optimizers.beta2': 'Adam 的 β₂',
    'ch.optimizers.step': '单步',
    'ch.optimizers.play': '播放',
    'ch.optimizers.pause': '暂停',
    'ch.optimizers.reset': '回到起点',
    'ch.optimizers.sgd': 'SGD',
    'ch.optimizers.adam': 'Adam',
    'ch.optimizers.status': '第 {step} 步，共 {steps} 步，η = {lr}。',
    'ch.optimizers.col.optimizer': '优化器',
    'ch.optimizers.col.x': '坐标 x',
    'ch.optimizers.col.y': '坐标 y',
    'ch.optimizers.col.loss': '损失 f(x, y)',
    'ch.optimizers.diverged': '（第 {step} 步之后数值溢出：η 太大了）',
    'ch.optimizers.caption.valley':
      '这条山谷横向（y）的弯曲程度是纵向（x）的 20 倍：小到不会在两壁间来回弹跳的学习率，沿谷底前进时就会很慢。SGD 要么之字形跳动，要么缓慢爬行；' +
      '动量沿谷底越走越快；Adam 让两个坐标每步都移动约 η。颜色越深越低；白色圆圈是起点。',
    'ch.optimizers.caption.saddle':
      '在鞍点 (0, 0) 处坡度为零：起点位于山脊上，y 比 0 略大一点。SGD 的 y 每步乘以 1 + 2η，起初增长很慢；Adam 的步长不随坡度变小，' +
      '立刻离开山脊，落到 y = ±1 处的谷底。颜色越深越低；白色圆圈是起点。',
    'ch.optimizers.lab':
      '同样的三种优化器在 LeNet 上的效果：在训练实验室里，用相同的设置分别以 SGD、动量和 Adam 各训练一次，然后勾选之前运行的“比较”，把它们的损失曲线放在一起看。',
    'ch.optimizers.labLink': '前往训练实验室。',
  },
};
