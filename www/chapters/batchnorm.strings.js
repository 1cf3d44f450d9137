// Strings of the chapter "Batch normalisation": keys bn.*; every en key needs a zh translation.
export default {
  en: {
    'bn.heading': 'Batch normalisation: every channel brought to mean 0 and variance 1',
    'bn.intro':
      'Batch normalisation (Ioffe & Szegedy, 2015) sits after a convolution. For each channel it takes every value of ' +
      'the batch — all images, all positions — computes their mean μ and variance σ², and writes x̂ = (x − μ)/√(σ² + ε), ' +
      'so the channel has mean 0 and variance 1; then y = γ·x̂ + β, with a scale γ and a shift β the network learns, so ' +
      'it can undo the normalisation where that helps. Here a batch of 8 sample digits goes through one 3×3 convolution ' +
      '(every weight 0.5, bias 0.5), and its activations through batch norm (ε = 0.00001).',
    'bn.gamma': 'scale γ',
    'bn.beta': 'shift β',
    'bn.mode': 'Mode',
    'bn.train': 'training mode (the batch’s statistics)',
    'bn.eval': 'evaluation mode (the running statistics)',
    'bn.batch': 'Batch {step}: the digits {digits}, {n} activations of one channel.',
    'bn.beforeTitle': 'before: conv activations (count, log scale)',
    'bn.afterTrainTitle': 'after, training mode (count, log scale)',
    'bn.afterEvalTitle': 'after, evaluation mode (count, log scale)',
    'bn.value': 'value',
    'bn.beforeStats': 'Before: mean {mean}, variance {variance}',
    'bn.afterTrain': 'After (training mode): mean {mean} (that is β), variance {variance} (that is γ²·σ²/(σ² + ε))',
    'bn.afterEval': 'After (evaluation mode): mean {mean}, variance {variance}, normalised with the running statistics',
    'bn.statsShort': 'mean {mean}, variance {variance}',
    'bn.runningHeading': 'Training mode, evaluation mode and the running statistics',
    'bn.runningIntro':
      'At test time there may be a single image, so there is no batch to average over. While it trains, each batch norm ' +
      'layer therefore keeps a running mean and a running variance: after every training batch, running ← (1 − ' +
      'momentum)·running + momentum·(the batch’s value), starting from 0 and 1 (PyTorch’s momentum is 0.1; the variance ' +
      'kept is the unbiased one). Evaluation mode normalises with these. “Step” sends the shown batch through in training ' +
      'mode and shows the next one: watch the running statistics move towards the batches’ and the evaluation-mode ' +
      'histogram settle near mean β. A larger momentum follows the latest batches more closely; momentum 0 never learns.',
    'bn.momentum': 'momentum',
    'bn.step': 'Step',
    'bn.step10': '10 steps',
    'bn.reset': 'Start again',
    'bn.running':
      'Training steps so far: {steps}. Running mean {rm}, running variance {rv}. This batch: mean {bm}, variance {bv}.',
    'bn.why':
      'Why it helps: without it, every change to a layer’s weights shifts and stretches what the next layer receives, ' +
      'so each layer chases a moving target, and in a deep stack the scales multiply until activations and gradients ' +
      'explode or vanish. With batch norm every layer receives values of a fixed mean and spread whatever the layers before ' +
      'it do, so a larger learning rate is safe and a careful initialisation matters less. The price: a network behaves ' +
      'differently in training and evaluation mode, and a tiny batch gives noisy statistics.',
    'bn.deepHeading': 'A deep network with and without batch norm',
    'bn.deepIntro':
      'Two networks of 20 weight layers (the plain network of “Deeper is not always better”): one with a batch norm after ' +
      'every convolution, one with every batch norm taken out — otherwise the same layers, data, seed and settings (SGD ' +
      'with momentum 0.9, learning rate 0.05, batch 64, He initialisation). Both train 60 steps side by side.',
    'bn.run': 'Train both',
    'bn.stop': 'Stop',
    'bn.preparing': 'Loading the digits and building both networks…',
    'bn.training': 'Training both networks: step {done} of {steps}',
    'bn.done': 'Both networks trained {steps} steps on the same batches.',
    'bn.stopped': 'Stopped.',
    'bn.chartLabel': 'Training loss of the 20-layer network with and without batch norm against steps',
    'bn.steps': 'steps',
    'bn.loss': 'training loss',
    'bn.with': 'with batch norm',
    'bn.without': 'without batch norm',
    'bn.resultLower': 'Training loss at the end (mean of the last reports): with batch norm {with}, without {without}. The same 20 layers trained faster with batch norm.',
    'bn.resultNotLower': 'Training loss at the end (mean of the last reports): with batch norm {with}, without {without}. This time batch norm did not help within these steps.',
    'bn.resultDiverged': 'Without batch norm the run failed: {why} With batch norm the training loss ended at {with}.',
    'bn.deepWhy':
      'Without normalisation the signal of a 20-layer stack depends on every weight’s scale at once: at this learning rate ' +
      'the updates push it out of range, and the loss stalls at guessing (ln 10 ≈ 2.303) or runs away. With batch norm each ' +
      'layer’s input is rescaled every step, so the same learning rate trains.',
  },
  zh: {
    'bn.heading': '批量归一化：把每个通道变成均值 0、方差 1',
    'bn.intro':
      '批量归一化（Ioffe 与 Szegedy，2015）放在卷积之后。对每个通道，它取这个批量中的所有值——所有图像、所有位置——算出均值 μ 和方差 σ²，' +
      '再写成 x̂ = (x − μ)/√(σ² + ε)，使这个通道的均值为 0、方差为 1；然后 y = γ·x̂ + β，其中缩放 γ 和平移 β 由网络学习，' +
      '需要时它可以撤销归一化。这里一个由 8 个示例数字组成的批量经过一个 3×3 卷积（每个权重 0.5，偏置 0.5），' +
      '它的激活值再经过批量归一化（ε = 0.00001）。',
    'bn.gamma': '缩放 γ',
    'bn.beta': '平移 β',
    'bn.mode': '模式',
    'bn.train': '训练模式（用这个批量的统计量）',
    'bn.eval': '评估模式（用运行统计量）',
    'bn.batch': '第 {step} 个批量：数字 {digits}，一个通道的 {n} 个激活值。',
    'bn.beforeTitle': '之前：卷积的激活值（个数，对数刻度）',
    'bn.afterTrainTitle': '之后，训练模式（个数，对数刻度）',
    'bn.afterEvalTitle': '之后，评估模式（个数，对数刻度）',
    'bn.value': '值',
    'bn.beforeStats': '之前：均值 {mean}，方差 {variance}',
    'bn.afterTrain': '之后（训练模式）：均值 {mean}（即 β），方差 {variance}（即 γ²·σ²/(σ² + ε)）',
    'bn.afterEval': '之后（评估模式）：均值 {mean}，方差 {variance}，用运行统计量归一化',
    'bn.statsShort': '均值 {mean}，方差 {variance}',
    'bn.runningHeading': '训练模式、评估模式与运行统计量',
    'bn.runningIntro':
      '测试时可能只有一张图像，没有批量可以求平均。所以在训练时，每个批量归一化层都保存一个运行均值和一个运行方差：' +
      '每个训练批量之后，运行值 ← (1 − 动量)·运行值 + 动量·（这个批量的值），初值为 0 和 1（PyTorch 的动量是 0.1；' +
      '保存的是无偏方差）。评估模式用它们来归一化。“前进一步”把当前批量以训练模式送进去，并显示下一个批量：' +
      '看运行统计量如何向各批量的统计量靠拢，评估模式的直方图如何稳定在均值 β 附近。动量越大，越紧跟最近的批量；动量为 0 则永远不变。',
    'bn.momentum': '动量',
    'bn.step': '前进一步',
    'bn.step10': '前进 10 步',
    'bn.reset': '重新开始',
    'bn.running': '已训练步数：{steps}。运行均值 {rm}，运行方差 {rv}。这个批量：均值 {bm}，方差 {bv}。',
    'bn.why':
      '为什么有用：没有它，某一层权重的每次变化都会让下一层收到的值发生平移和伸缩，每一层都在追赶一个移动的目标；' +
      '在很深的网络中，这些尺度层层相乘，激活值和梯度会爆炸或消失。有了批量归一化，无论前面的层怎样变化，每一层收到的值都有固定的均值和离散程度，' +
      '因此可以放心用更大的学习率，也不那么依赖精细的权重初始化。代价是：网络在训练模式和评估模式下的行为不同，而且很小的批量给出的统计量噪声很大。',
    'bn.deepHeading': '有无批量归一化的深层网络',
    'bn.deepIntro':
      '两个各有 20 个权重层的网络（即“越深不一定越好”中的普通网络）：一个在每个卷积后都有批量归一化，另一个去掉了所有批量归一化——' +
      '其余的层、数据、随机种子和设置都相同（带动量 0.9 的 SGD，学习率 0.05，批量 64，He 初始化）。两个网络并排训练 60 步。',
    'bn.run': '训练两个网络',
    'bn.stop': '停止',
    'bn.preparing': '正在加载数字并构建两个网络…',
    'bn.training': '正在训练两个网络：第 {done} 步，共 {steps} 步',
    'bn.done': '两个网络在相同的批量上各训练了 {steps} 步。',
    'bn.stopped': '已停止。',
    'bn.chartLabel': '有无批量归一化的 20 层网络的训练损失随步数的变化',
    'bn.steps': '步数',
    'bn.loss': '训练损失',
    'bn.with': '有批量归一化',
    'bn.without': '无批量归一化',
    'bn.resultLower': '最终训练损失（最后几次报告的平均）：有批量归一化 {with}，没有 {without}。同样的 20 层网络，有批量归一化时训练得更快。',
    'bn.resultNotLower': '最终训练损失（最后几次报告的平均）：有批量归一化 {with}，没有 {without}。这一次在这些步数内批量归一化没有帮上忙。',
    'bn.resultDiverged': '没有批量归一化的训练失败了：{why} 有批量归一化时，训练损失最终为 {with}。',
    'bn.deepWhy':
      '没有归一化时，20 层网络中的信号同时取决于每个权重的尺度：在这个学习率下，更新会把它推出合理范围，' +
      '损失要么停在随机猜测的水平（ln 10 ≈ 2.303），要么失控。有了批量归一化，每一步都会重新缩放每一层的输入，所以同样的学习率也能训练。',
  },
};
