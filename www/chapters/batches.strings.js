// Strings of the chapter "batches": keys ch.batches.*; every en key needs a zh translation.
export default {
  en: {
    'ch.batches.title': 'Epochs, mini-batches and shuffling',
    'ch.batches.intro':
      'A training run does not look at one example at a time, nor at all of them at once. It shuffles the training set, cuts it into ' +
      'mini-batches of B examples and takes one step per batch along the mean gradient of that batch. One pass over every example is ' +
      'an epoch: ⌈N/B⌉ steps, the last batch smaller when B does not divide N. The next epoch shuffles again, so the batches are ' +
      'never the same twice. Full-batch descent (B = N) takes one careful, expensive step per epoch; stochastic gradient descent ' +
      '(B = 1) takes N cheap, noisy ones; mini-batches sit in between.',
    'ch.batches.stripHeading': 'One epoch, batch by batch',
    'ch.batches.stripIntro':
      'The 2-2-1 network of the descent chapter learns {n} points (x₁, x₂ in [−1, 1], y = 1 where they have the same sign, else 0) with ' +
      'η = {lr}. The strip shows this epoch’s shuffled order, each box an example’s number, grouped by batch. Press “Next batch” to take ' +
      'the update on the outlined batch.',
    'ch.batches.controls': 'Batch size and steps',
    'ch.batches.size': 'Batch size B',
    'ch.batches.next': 'Next batch',
    'ch.batches.reset': 'Start again',
    'ch.batches.counter0': 'Epoch {epoch}: {n} examples in {batches} batches of up to {b}. No batch used yet.',
    'ch.batches.counter': 'Epoch {epoch}, batch {batch} of {batches} ({n} examples, batches of up to {b}).',
    'ch.batches.tag': 'batch {n}',
    'ch.batches.previous': 'Epoch {epoch} used the order {order}: the new epoch is shuffled again.',
    'ch.batches.noStep': 'No update yet.',
    'ch.batches.stepLoss':
      'Batch {batch} of epoch {epoch} ({k} examples: {examples}): loss on this batch {before} → {after} after the update; ' +
      'loss on all {all} examples {allBefore} → {allAfter}.',
    'ch.batches.updateCaption': 'The update θ ← θ − η·(mean ∂L/∂θ over the {k} examples of the batch), η = {lr}',
    'ch.batches.param': 'θ',
    'ch.batches.old': 'old θ',
    'ch.batches.grad': 'mean ∂L/∂θ',
    'ch.batches.new': 'new θ',
    'ch.batches.compareHeading': 'Full batch, mini-batch, single example',
    'ch.batches.compareIntro':
      'The same network, the same {n} points, the same start and η = {lr}, for {epochs} epochs, with three batch sizes. The line is the ' +
      'loss each update saw on its own batch (what a training run prints); the markers are the loss on all {n} points after each epoch.',
    'ch.batches.compareRun': 'Train the three ways',
    'ch.batches.notRun': 'Press the button to train.',
    'ch.batches.full': 'full batch',
    'ch.batches.mini': 'mini-batch',
    'ch.batches.single': 'single example (stochastic)',
    'ch.batches.runTitle': 'B = {b}: {label}',
    'ch.batches.plotLabel': 'Loss per update with batches of {b}, and the loss on all points after each epoch.',
    'ch.batches.updates': 'updates per epoch: {u} (⌈{n}/{b}⌉)',
    'ch.batches.cost': 'cost of one update: the gradients of {k} examples (B)',
    'ch.batches.costOne': 'cost of one update: the gradient of {k} example (B)',
    'ch.batches.noise': 'noise: the loss went up at {p} of the updates',
    'ch.batches.final': 'loss on all points after {epochs} epochs: {loss}',
    'ch.batches.epochAxis': 'epoch',
    'ch.batches.lossAxis': 'loss',
  },
  zh: {
    'ch.batches.title': '轮次（周期）、小批量与打乱',
    'ch.batches.intro':
      '训练时既不是一次只看一个样本，也不是一次看完全部样本。它先打乱训练集，把它切成每批 B 个样本的小批量，' +
      '每个批量沿该批量的平均梯度走一步。把每个样本都过一遍就是一个轮次（周期）：共 ⌈N/B⌉ 步，当 B 不能整除 N 时最后一个批量较小。' +
      '下一轮会重新打乱，所以批量永远不会两次相同。全批量梯度下降（B = N）每轮只走一步，谨慎但昂贵；' +
      '随机梯度下降（B = 1）每轮走 N 步，便宜但有噪声；小批量介于两者之间。',
    'ch.batches.stripHeading': '一个轮次，一个批量接一个批量',
    'ch.batches.stripIntro':
      '梯度下降一章中的 2-2-1 网络以 η = {lr} 学习 {n} 个点（x₁、x₂ 在 [−1, 1] 中，符号相同时 y = 1，否则为 0）。' +
      '条带按本轮打乱后的顺序显示样本，每个方框是一个样本的编号，按批量分组。按“下一个批量”在框出的批量上做一次更新。',
    'ch.batches.controls': '批量大小和步骤',
    'ch.batches.size': '批量大小 B',
    'ch.batches.next': '下一个批量',
    'ch.batches.reset': '重新开始',
    'ch.batches.counter0': '第 {epoch} 轮：{n} 个样本分成 {batches} 个批量，每批最多 {b} 个。还没有使用任何批量。',
    'ch.batches.counter': '第 {epoch} 轮，第 {batch} 个批量，共 {batches} 个（{n} 个样本，每批最多 {b} 个）。',
    'ch.batches.tag': '批量 {n}',
    'ch.batches.previous': '第 {epoch} 轮使用的顺序是 {order}：新的一轮重新打乱了顺序。',
    'ch.batches.noStep': '还没有更新。',
    'ch.batches.stepLoss':
      '第 {epoch} 轮的第 {batch} 个批量（{k} 个样本：{examples}）：更新后这个批量上的损失 {before} → {after}；' +
      '全部 {all} 个样本上的损失 {allBefore} → {allAfter}。',
    'ch.batches.updateCaption': '更新 θ ← θ − η·（该批量 {k} 个样本上 ∂L/∂θ 的平均值），η = {lr}',
    'ch.batches.param': 'θ',
    'ch.batches.old': '旧 θ',
    'ch.batches.grad': '平均 ∂L/∂θ',
    'ch.batches.new': '新 θ',
    'ch.batches.compareHeading': '全批量、小批量、单个样本',
    'ch.batches.compareIntro':
      '同一个网络、同样的 {n} 个点、同样的起点和 η = {lr}，训练 {epochs} 轮，使用三种批量大小。折线是每次更新在它自己的批量上看到的损失' +
      '（训练过程打印出来的就是它）；标记是每轮结束后全部 {n} 个点上的损失。',
    'ch.batches.compareRun': '用三种方式训练',
    'ch.batches.notRun': '按下按钮开始训练。',
    'ch.batches.full': '全批量',
    'ch.batches.mini': '小批量',
    'ch.batches.single': '单个样本（随机梯度下降）',
    'ch.batches.runTitle': 'B = {b}：{label}',
    'ch.batches.plotLabel': '批量大小为 {b} 时每次更新的损失，以及每轮结束后全部点上的损失。',
    'ch.batches.updates': '每轮更新次数：{u}（⌈{n}/{b}⌉）',
    'ch.batches.cost': '一次更新的代价：{k} 个样本（B）的梯度',
    'ch.batches.costOne': '一次更新的代价：{k} 个样本（B）的梯度',
    'ch.batches.noise': '噪声：在 {p} 的更新中损失上升了',
    'ch.batches.final': '{epochs} 轮之后全部点上的损失：{loss}',
    'ch.batches.epochAxis': '轮次',
    'ch.batches.lossAxis': '损失',
  },
};
