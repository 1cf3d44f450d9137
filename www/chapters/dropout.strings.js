// Strings of the chapter "Dropout": keys do.*; every en key needs a zh translation.
export default {
  en: {
    'do.heading': 'Dropout: switching units off at random while training',
    'do.intro':
      'Dropout (Srivastava et al., 2014) sits after a layer. In each training step it switches every unit off with ' +
      'probability p — a fresh random choice per step — and multiplies the units it keeps by 1/(1 − p). Below: the 20 ' +
      'values one layer computed for one input, and what dropout passes on. Kept units are scaled; dropped units pass on 0.',
    'do.p': 'dropout rate p',
    'do.mode': 'Mode',
    'do.train': 'training mode',
    'do.eval': 'evaluation mode',
    'do.next': 'Next step',
    'do.unit': 'unit',
    'do.input': 'input',
    'do.pass': 'output, step {step}',
    'do.keptTrain': '{kept} of {n} units kept at the first of the two steps, each multiplied by 1/(1 − {p}) = {scale}; the others are 0.',
    'do.keptEval': 'Evaluation mode: all {n} units kept and nothing scaled — the output is the input.',
    'do.sums': 'Sum of the inputs {input}; sum of this step’s outputs {output}; the outputs’ sum averaged over {steps} steps {average}.',
    'do.differ': 'The same input passed twice gives different outputs: {differ} of the {n} units differ between the two steps.',
    'do.same': 'The same input passed twice gives identical outputs: all {n} units are equal.',
    'do.unitKept': 'unit {i}: kept',
    'do.unitDropped': 'unit {i}: dropped',
    'do.whyScale':
      'Why 1/(1 − p)? A unit is kept with probability 1 − p, so on average the next layer would receive only (1 − p) ' +
      'times its usual input. Scaling the kept units by 1/(1 − p) makes the expected value of each output equal to its ' +
      'input (compare the sums above, averaged over many steps), so in evaluation mode dropout does nothing at all: no ' +
      'rescaling, and the same input always gives the same output.',
    'do.why':
      'Why it helps: a unit cannot rely on any particular other unit being there, so the network cannot memorise the ' +
      'training set through fragile co-adaptations of a few units; it is like training a large ensemble of thinned networks ' +
      'that share their weights and averaging them at test time. It fights overfitting — the training loss falls more ' +
      'slowly, the validation loss stays lower. Remember to switch to evaluation mode to predict: a network left in training ' +
      'mode answers differently each time.',
  },
  zh: {
    'do.heading': '随机失活（丢弃法）：训练时随机关掉一些单元',
    'do.intro':
      '随机失活（丢弃法，Srivastava 等人，2014）放在某一层之后。每个训练步里，它以概率 p 关掉每个单元——每一步重新随机选择——' +
      '并把保留下来的单元乘以 1/(1 − p)。下面是某一层对一个输入算出的 20 个值，以及随机失活传下去的值。保留的单元被放大，失活的单元传下去 0。',
    'do.p': '失活率 p',
    'do.mode': '模式',
    'do.train': '训练模式',
    'do.eval': '评估模式',
    'do.next': '下一步',
    'do.unit': '单元',
    'do.input': '输入',
    'do.pass': '输出，第 {step} 步',
    'do.keptTrain': '两步中的第一步：{n} 个单元保留了 {kept} 个，每个乘以 1/(1 − {p}) = {scale}；其余为 0。',
    'do.keptEval': '评估模式：{n} 个单元全部保留，也不放大——输出就是输入。',
    'do.sums': '输入之和 {input}；这一步输出之和 {output}；{steps} 步的输出之和的平均 {average}。',
    'do.differ': '同一个输入送入两次，输出不同：两步之间 {n} 个单元中有 {differ} 个不同。',
    'do.same': '同一个输入送入两次，输出完全相同：{n} 个单元全部相等。',
    'do.unitKept': '单元 {i}：保留',
    'do.unitDropped': '单元 {i}：失活',
    'do.whyScale':
      '为什么是 1/(1 − p)？每个单元以概率 1 − p 被保留，所以平均来说下一层只会收到平常输入的 (1 − p) 倍。' +
      '把保留的单元乘以 1/(1 − p)，每个输出的期望值就等于它的输入（比较上面多步平均的和），因此在评估模式下随机失活什么也不做：' +
      '不需要重新缩放，同一个输入总是给出同一个输出。',
    'do.why':
      '为什么有用：一个单元不能指望某个特定的其他单元一定在场，所以网络无法靠少数单元之间脆弱的相互适应来记住训练集；' +
      '这就像训练许多共享权重的“变瘦”的网络组成的集成，并在测试时取它们的平均。它能对抗过拟合——训练损失下降得更慢，验证损失保持得更低。' +
      '预测时记得切换到评估模式：停留在训练模式的网络每次给出的回答都不一样。',
  },
};
