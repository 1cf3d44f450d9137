// Strings of the chapter "Every core: data parallelism": keys par.*; every en key needs a zh translation.
export default {
  en: {
    'par.heading': 'Every core: data parallelism',
    'par.intro':
      'The training chapter above trains on every core of this machine. Each step’s batch of N digits is cut into one shard ' +
      'per worker (a Web Worker, each with its own copy of the network in its own WebAssembly instance). Every worker runs ' +
      'forward and backward on its shard and sends back its gradient, weighted by its share of the batch; the gradients are ' +
      'added up in worker order — the same order every time, so a run is the same for a given number of workers — and the ' +
      'one update θ ← θ − η·g is taken with their sum: exactly the mean gradient over the whole batch, the one a single ' +
      'worker would compute. Then the new weights go back to every worker for the next step.',
    'par.workers': 'Workers',
    'par.cores': 'this machine has {cores} cores',
    'par.play': 'Train',
    'par.pause': 'Pause',
    'par.idle': 'Start training (here or in the chapter above) to see the workers’ steps.',
    'par.gpu': 'The GPU trains now: one device does the whole batch, no workers are needed.',
    'par.refused': 'This network trains on one worker: {why}.',
    'par.one': 'One worker: the whole batch on one core. Choose more workers to split it.',
    'par.stepTitle': 'One step of the training run: a batch of {n} digits on {workers} workers',
    'par.batchLabel': 'The batch, cut into shards',
    'par.worker': 'worker {k}',
    'par.shard': 'examples {lo}–{hi}',
    'par.colWorker': 'Worker',
    'par.colExamples': 'Its shard',
    'par.colLoss': 'Loss on its shard',
    'par.colNorm': 'Length of its part of g',
    'par.colSample': 'Its part of ∂L/∂w{i}',
    'par.sumRow': 'Sum (all-reduce)',
    'par.sumExamples': 'all {n}',
    'par.update': 'One update with the sum: θ ← θ − η·g, the same on every worker’s copy. The columns on the right add up: each worker’s part is its shard’s mean gradient times its share of the batch (its examples ÷ {n}).',
    'par.speed': '{workers} workers: {speed} digits/s. Each step, sending a worker the weights and its shard takes {out} ms; after its own shard the training worker waits {wait} ms for the others’ gradients.',
    'par.ddp':
      'The same idea trains large networks on many GPUs: PyTorch’s DistributedDataParallel keeps one copy of the model per GPU, ' +
      'gives each a slice of the batch, and after the backward pass adds the gradients of all GPUs together (an “all-reduce”, ' +
      'done in pieces while the backward pass still runs, so that communication overlaps computation); every GPU then takes ' +
      'the same update and the copies stay identical. Batch normalisation is the catch: each GPU normalises its slice with its own ' +
      'mean and variance unless SyncBatchNorm exchanges them — this page keeps such networks on one worker instead.',
  },
  zh: {
    'par.heading': '用上每个核心：数据并行',
    'par.intro':
      '上面的训练一章会用上这台机器的每个核心。每一步的 N 个数字组成的批量被切成分片，每个工作线程一片（每个都是一个 Web Worker，' +
      '在自己的 WebAssembly 实例里有一份网络的副本）。每个工作线程在自己的分片上做前向和反向传播，送回按它在批量中所占比例加权的梯度；' +
      '这些梯度按工作线程的顺序相加——每次顺序都相同，所以工作线程数相同时，训练过程完全一样——然后用它们的和做一次更新 θ ← θ − η·g：' +
      '这恰好就是整个批量上的平均梯度，和单个工作线程算出的一样。然后新的权重被送回每个工作线程，开始下一步。',
    'par.workers': '工作线程',
    'par.cores': '这台机器有 {cores} 个核心',
    'par.play': '训练',
    'par.pause': '暂停',
    'par.idle': '开始训练（在这里或上面的一章），就能看到各个工作线程的每一步。',
    'par.gpu': '现在是 GPU 在训练：一个设备处理整个批量，不需要工作线程。',
    'par.refused': '这个网络只在一个工作线程上训练：{why}。',
    'par.one': '一个工作线程：整个批量都在一个核心上。选择更多工作线程来切分它。',
    'par.stepTitle': '训练中的一步：{n} 个数字的批量，分给 {workers} 个工作线程',
    'par.batchLabel': '切成分片的批量',
    'par.worker': '工作线程 {k}',
    'par.shard': '样本 {lo}–{hi}',
    'par.colWorker': '工作线程',
    'par.colExamples': '它的分片',
    'par.colLoss': '它分片上的损失',
    'par.colNorm': '它那部分 g 的长度',
    'par.colSample': '它那部分 ∂L/∂w{i}',
    'par.sumRow': '求和（all-reduce）',
    'par.sumExamples': '全部 {n} 个',
    'par.update': '用这个和做一次更新：θ ← θ − η·g，每个工作线程的副本上都一样。右边几列加起来正好相等：每个工作线程的那部分是它分片上的平均梯度乘以它在批量中的比例（它的样本数 ÷ {n}）。',
    'par.speed': '{workers} 个工作线程：每秒 {speed} 个数字。每一步，把权重和分片发给一个工作线程要 {out} 毫秒；训练线程算完自己的分片后，还要等 {wait} 毫秒才收到其他工作线程的梯度。',
    'par.ddp':
      '同样的思路也用来在许多 GPU 上训练大型网络：PyTorch 的 DistributedDataParallel 在每个 GPU 上保留一份模型，给每个 GPU ' +
      '一部分批量，反向传播之后把所有 GPU 的梯度加在一起（一次“all-reduce”，在反向传播还在进行时就分块完成，让通信和计算重叠）；' +
      '然后每个 GPU 做同样的更新，各份副本始终保持一致。批量归一化是个难点：除非用 SyncBatchNorm 交换统计量，否则每个 GPU 只用自己' +
      '那一片的均值和方差归一化——本页则让这样的网络只在一个工作线程上训练。',
  },
};
