// Strings of the chapter "descent": keys ch.descent.*; every en key needs a zh translation.
export default {
  en: {
    'ch.descent.title': 'Gradient descent and backpropagation, one step at a time',
    'ch.descent.intro':
      'Training means changing every parameter θ a little against its gradient: θ ← θ − η·∂L/∂θ, where η is the learning rate. ' +
      'Here the network of the forward-propagation chapter learns one example: inputs x₁ and x₂ and a target y. The loss is the ' +
      'squared error with a half, L = ½(a₂₁ − y)², so ∂L/∂a₂₁ = a₂₁ − y. Backpropagation finds every gradient with the chain ' +
      'rule, from the output back to the first layer. Press Step to take one step and see every factor.',
    'ch.descent.example': 'The example and the learning rate',
    'ch.descent.lr': 'Learning rate η',
    'ch.descent.target': 'Target y',
    'ch.descent.step': 'Step',
    'ch.descent.reset': 'Start again',
    'ch.descent.bad': 'Enter a number for {name}.',
    'ch.descent.current': 'Now: a₂₁ = {a21}, target y = {y}, loss L = ½(a₂₁ − y)² = {loss}. Steps taken: {steps}.',
    'ch.descent.stepHeading': 'Step {n}',
    'ch.descent.lossBefore': 'Forward pass: a₂₁ = {a21}; loss L = ½({a21} − {y})² = {loss}.',
    'ch.descent.backward': 'Backward pass, layer by layer',
    'ch.descent.outputLayer': 'Output layer (ReLU)',
    'ch.descent.hiddenLayer': 'Hidden layer (sigmoid)',
    'ch.descent.reluOn': '(z₃ = {z3} > 0)',
    'ch.descent.reluOff': '(z₃ = {z3} ≤ 0: the ReLU passes no gradient, so every gradient below is 0)',
    'ch.descent.table': 'The update θ ← θ − η·∂L/∂θ for all 9 parameters',
    'ch.descent.param': 'θ',
    'ch.descent.old': 'old θ',
    'ch.descent.grad': '∂L/∂θ',
    'ch.descent.delta': 'η·∂L/∂θ',
    'ch.descent.new': 'new θ',
    'ch.descent.newLoss': 'After the step: a₂₁ = {a21}, loss {loss} (before: {before}).',
    'ch.descent.rose': 'The loss went up: this step overshot. Try a smaller η.',
    'ch.descent.noStep': 'No step taken yet.',

    'ch.descent.lrHeading': 'The learning rate: too small, good, too large',
    'ch.descent.lrIntro':
      'The same start, the same example, three learning rates, {steps} steps each. Too small a rate crawls towards the target; ' +
      'a good one gets there in a few steps; too large a rate overshoots — here so far that z₃ becomes negative, the ReLU outputs 0 ' +
      'and passes no gradient, and the network is stuck at a loss higher than where it started.',
    'ch.descent.lrRun': 'Train with the three learning rates',
    'ch.descent.tooSmall': 'too small',
    'ch.descent.good': 'good',
    'ch.descent.tooLarge': 'too large',
    'ch.descent.lrTitle': 'η = {lr}: {label}',
    'ch.descent.lrSummary': 'loss {first} → {last} after {steps} steps: {verdict}',
    'ch.descent.crawling': 'crawling (still falling slowly)',
    'ch.descent.converged': 'converged',
    'ch.descent.diverged': 'diverged (the loss ended higher than it started)',
    'ch.descent.plotLabel': 'Loss per step for η = {lr}: from {first} to {last}.',
    'ch.descent.step_axis': 'step',
    'ch.descent.loss_axis': 'loss',
    'ch.descent.epoch_axis': 'epoch',
    'ch.descent.notRun': 'Press the button to train.',

    'ch.descent.batchHeading': 'Full batch, mini-batch, single example',
    'ch.descent.batchIntro':
      'Now the network learns 8 points (x₁, x₂ in [−1, 1], fixed seed) with an XOR-like target: y = 1 where x₁ and x₂ have the same sign, ' +
      'y = 0 where they differ. Full-batch descent takes one step per epoch along the mean gradient of all 8 points; mini-batch ' +
      'descent takes 4 steps of 2 points; single-example (stochastic) descent takes 8 steps of one point each, in a shuffled order. ' +
      'The same learning rate η = {lr}; the curves show the mean loss over all 8 points after each epoch.',
    'ch.descent.batchRun': 'Train the three ways',
    'ch.descent.full': 'full batch (8 per step)',
    'ch.descent.mini': 'mini-batch (2 per step)',
    'ch.descent.single': 'single example (1 per step)',
    'ch.descent.batchSummary': '{name}: loss {first} → {last} in {epochs} epochs; it rose {rises} times',
    'ch.descent.batchPlot': 'Mean loss per epoch for full-batch, mini-batch and single-example descent.',
    'ch.descent.dataset': 'The 8 points',
  },
  zh: {
    'ch.descent.title': '梯度下降与反向传播，一步一步来',
    'ch.descent.intro':
      '训练就是让每个参数 θ 沿着梯度的反方向移动一点：θ ← θ − η·∂L/∂θ，其中 η 是学习率。这里，前向传播一章的网络学习一个样本：' +
      '输入 x₁ 和 x₂，以及目标 y。损失函数是带一半的平方误差 L = ½(a₂₁ − y)²，所以 ∂L/∂a₂₁ = a₂₁ − y。反向传播用链式法则' +
      '从输出层一直算回第一层，求出每一个梯度。按“走一步”执行一步，查看每一个因子。',
    'ch.descent.example': '样本与学习率',
    'ch.descent.lr': '学习率 η',
    'ch.descent.target': '目标 y',
    'ch.descent.step': '走一步',
    'ch.descent.reset': '重新开始',
    'ch.descent.bad': '请为 {name} 输入一个数字。',
    'ch.descent.current': '当前：a₂₁ = {a21}，目标 y = {y}，损失 L = ½(a₂₁ − y)² = {loss}。已走步数：{steps}。',
    'ch.descent.stepHeading': '第 {n} 步',
    'ch.descent.lossBefore': '前向传播：a₂₁ = {a21}；损失 L = ½({a21} − {y})² = {loss}。',
    'ch.descent.backward': '反向传播，逐层计算',
    'ch.descent.outputLayer': '输出层（ReLU）',
    'ch.descent.hiddenLayer': '隐藏层（sigmoid）',
    'ch.descent.reluOn': '（z₃ = {z3} > 0）',
    'ch.descent.reluOff': '（z₃ = {z3} ≤ 0：ReLU 不传递梯度，所以下面的梯度全为 0）',
    'ch.descent.table': '全部 9 个参数的更新 θ ← θ − η·∂L/∂θ',
    'ch.descent.param': 'θ',
    'ch.descent.old': '原来的 θ',
    'ch.descent.grad': '∂L/∂θ',
    'ch.descent.delta': 'η·∂L/∂θ',
    'ch.descent.new': '新的 θ',
    'ch.descent.newLoss': '这一步之后：a₂₁ = {a21}，损失 {loss}（之前：{before}）。',
    'ch.descent.rose': '损失上升了：这一步走过头了。试试更小的 η。',
    'ch.descent.noStep': '还没有走任何一步。',

    'ch.descent.lrHeading': '学习率：太小、合适、太大',
    'ch.descent.lrIntro':
      '同样的起点、同样的样本、三个学习率，各走 {steps} 步。学习率太小时，损失缓慢地向目标爬行；合适的学习率几步就能到达；' +
      '学习率太大时会走过头——这里甚至让 z₃ 变成负数，ReLU 输出 0 且不再传递梯度，网络卡在比起点更高的损失上。',
    'ch.descent.lrRun': '用三个学习率训练',
    'ch.descent.tooSmall': '太小',
    'ch.descent.good': '合适',
    'ch.descent.tooLarge': '太大',
    'ch.descent.lrTitle': 'η = {lr}：{label}',
    'ch.descent.lrSummary': '{steps} 步后损失 {first} → {last}：{verdict}',
    'ch.descent.crawling': '爬行（仍在缓慢下降）',
    'ch.descent.converged': '已收敛',
    'ch.descent.diverged': '发散（损失最后比开始时更高）',
    'ch.descent.plotLabel': 'η = {lr} 时每一步的损失：从 {first} 到 {last}。',
    'ch.descent.step_axis': '步',
    'ch.descent.loss_axis': '损失',
    'ch.descent.epoch_axis': '轮',
    'ch.descent.notRun': '按上面的按钮开始训练。',

    'ch.descent.batchHeading': '全批量、小批量、单样本',
    'ch.descent.batchIntro':
      '现在网络学习 8 个点（x₁、x₂ 取自 [−1, 1]，固定随机种子），目标类似异或：x₁ 与 x₂ 同号时 y = 1，异号时 y = 0。' +
      '全批量梯度下降每轮沿全部 8 个点的平均梯度走一步；小批量梯度下降每轮走 4 步，每步 2 个点；单样本（随机）梯度下降每轮按打乱的顺序走 8 步，' +
      '每步一个点。三者的学习率都是 η = {lr}；曲线显示每轮结束后全部 8 个点上的平均损失。',
    'ch.descent.batchRun': '用三种方式训练',
    'ch.descent.full': '全批量（每步 8 个）',
    'ch.descent.mini': '小批量（每步 2 个）',
    'ch.descent.single': '单样本（每步 1 个）',
    'ch.descent.batchSummary': '{name}：{epochs} 轮后损失 {first} → {last}；上升了 {rises} 次',
    'ch.descent.batchPlot': '全批量、小批量和单样本梯度下降每轮的平均损失。',
    'ch.descent.dataset': '这 8 个点',
  },
};
