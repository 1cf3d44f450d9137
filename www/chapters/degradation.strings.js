// Strings of the chapter "Deeper is not always better": keys degr.*; every en key needs a zh translation.
export default {
  en: {
    'degr.heading': 'Deeper is not always better: why ResNet adds x',
    'degr.intro':
      'He et al. (2016) found that a plain network of 56 layers ends with a higher training loss than one of 20 — not ' +
      'overfitting (the training loss itself is worse) and not only vanishing gradients (their nets had batch norm). ' +
      'Here is the same experiment at notebook scale: two networks of 20 weight layers on the digits, with the same ' +
      'layers, 42,394 parameters, data, settings (SGD with momentum 0.9, learning rate 0.05, batch 64, He ' +
      'initialisation) and seed. The only difference: in the second, every pair of 3×3 convolutions is a residual block, ' +
      'x + f(x). Both train for one epoch, side by side.',
    'degr.run': 'Train both',
    'degr.stop': 'Stop',
    'degr.preparing': 'Loading the digits and building both networks…',
    'degr.training': 'Training both networks: {done} of an epoch',
    'degr.done': 'Both networks trained for one epoch on the same batches.',
    'degr.stopped': 'Stopped.',
    'degr.failed': 'The comparison stopped: {why}',
    'degr.chartLabel': 'Training loss of the plain and the residual 20-layer network against epochs',
    'degr.loss': 'training loss',
    'degr.plain': 'plain: 20 layers, no shortcuts',
    'degr.residual': 'residual: the same 20 layers, x + f(x) around each pair',
    'degr.resultLower': 'Training loss at the end (mean of the last reports): plain {plain}, residual {residual}. With the same layers and the same weights to start from, the residual network learned faster.',
    'degr.resultNotLower': 'Training loss at the end (mean of the last reports): plain {plain}, residual {residual}. This time the shortcuts did not help within one epoch.',
    'degr.why':
      'Why should depth hurt? A deeper plain network could always do as well as a shallower one: its extra layers would ' +
      'only have to copy their input. But a stack of convolution, batch norm and ReLU is hard to push to exactly the ' +
      'identity, and gradient descent does not find it. A residual block gets the identity for free — f(x) = 0 leaves x ' +
      'unchanged — so each block only has to learn a correction to its input, and the sum hands the gradient straight ' +
      'back past every block (see “Backprop in a CNN, one gradient at a time”). That is what lets ResNet train 152 layers.',
  },
  zh: {
    'degr.heading': '越深不一定越好：ResNet 为什么要加上 x',
    'degr.intro':
      'He 等人（2016）发现，56 层的普通网络最终的训练损失比 20 层的更高——这不是过拟合（训练损失本身就更差），也不只是梯度消失' +
      '（他们的网络用了批量归一化）。这里在笔记本的规模上重做这个实验：两个各有 20 个权重层的网络，在数字上训练，层、42,394 个参数、' +
      '数据、设置（带动量 0.9 的 SGD，学习率 0.05，批量 64，He 初始化）和随机种子都相同。唯一的区别：第二个网络里每两个 3×3 卷积' +
      '构成一个残差块 x + f(x)。两个网络并排训练一个轮次。',
    'degr.run': '训练两个网络',
    'degr.stop': '停止',
    'degr.preparing': '正在加载数字并构建两个网络…',
    'degr.training': '两个网络正在训练：已完成一个轮次的 {done}',
    'degr.done': '两个网络都在相同的批量上训练了一个轮次。',
    'degr.stopped': '已停止。',
    'degr.failed': '比较中止了：{why}',
    'degr.chartLabel': '普通与残差 20 层网络的训练损失随轮次的变化',
    'degr.loss': '训练损失',
    'degr.plain': '普通网络：20 层，没有捷径',
    'degr.residual': '残差网络：同样的 20 层，每两层外面加上 x + f(x)',
    'degr.resultLower': '最后的训练损失（最后几次报告的平均）：普通 {plain}，残差 {residual}。层相同、初始权重也相同，残差网络学得更快。',
    'degr.resultNotLower': '最后的训练损失（最后几次报告的平均）：普通 {plain}，残差 {residual}。这一次，捷径在一个轮次内没有起作用。',
    'degr.why':
      '深度为什么会有害？更深的普通网络本来总能做得和浅的一样好：多出来的层只要把输入原样复制过去就行。但由卷积、批量归一化和 ReLU ' +
      '堆成的层很难恰好变成恒等映射，梯度下降也找不到它。残差块白白得到了恒等映射——f(x) = 0 时 x 原样通过——所以每个块只需学习对输入的' +
      '修正；而且相加把梯度越过每个块直接传回去（见“CNN 中的反向传播，一步一步算梯度”一章）。正因如此，ResNet 才能训练 152 层。',
  },
};
