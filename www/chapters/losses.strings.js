// Strings of the chapter "losses": keys ch.losses.*; every en key needs a zh translation.
export default {
  en: {
    'ch.losses.title': 'Loss functions',
    'ch.losses.intro':
      'A loss function turns “how wrong is the output?” into one number that training makes smaller; its gradient says which way to move each output to make it smaller fastest. ' +
      'Regression uses the mean squared error, classification softmax followed by cross-entropy. Every number below is computed by the core’s loss kernels, the ones training calls.',
    'ch.losses.mseHeading': 'Mean squared error (regression)',
    'ch.losses.mseIntro':
      'The convention here is PyTorch’s nn.MSELoss(): the mean of (ŷ − y)² over the outputs; with one output that is (ŷ − y)² and its gradient is ∂L/∂ŷ = 2(ŷ − y). (Some books write ½(ŷ − y)² so that the gradient is ŷ − y.) The gradient is the slope of the parabola at ŷ: gradient descent moves ŷ the other way, towards y.',
    'ch.losses.pred': 'Prediction ŷ',
    'ch.losses.target': 'Target y',
    'ch.losses.mseLoss': 'L = (ŷ − y)² = ({p} − {y})² = {l}',
    'ch.losses.mseGrad': '∂L/∂ŷ = 2(ŷ − y) = {g}',
    'ch.losses.msePlot': 'The loss L as a function of ŷ: a parabola with its minimum at y = {y}; the current ŷ = {p} is marked with a circle and the tangent there, of slope {g}, is dashed',
    'ch.losses.ceHeading': 'Softmax and cross-entropy (classification)',
    'ch.losses.ceIntro':
      'The network gives one score (logit) zₖ per class. Softmax turns them into probabilities pₖ = e^zₖ / Σⱼ e^zⱼ, and the loss is L = −log p_true: 0 when the true class gets probability 1, large when it gets little. Its gradient is remarkably simple, ∂L/∂zₖ = pₖ − [k = true]: it pushes the true class’s logit up and every other logit down, and always sums to 0.',
    'ch.losses.trueClass': 'True class',
    'ch.losses.class': 'class {k}',
    'ch.losses.logit': 'Logit z{k}',
    'ch.losses.colClass': 'Class',
    'ch.losses.colLogit': 'Logit zₖ',
    'ch.losses.colProb': 'Probability pₖ',
    'ch.losses.colGrad': '∂L/∂zₖ = pₖ − [k = true]',
    'ch.losses.isTrue': '★ true',
    'ch.losses.ceLoss': 'L = −log p{k} = −log({p}) = {l}',
    'ch.losses.ceSum': 'Sum of the gradient: {s}',
    'ch.losses.cePredicted': 'The largest logit is class {k}: that is the network’s answer ({verdict}).',
    'ch.losses.right': 'right',
    'ch.losses.wrong': 'wrong',
  },
  zh: {
    'ch.losses.title': '损失函数',
    'ch.losses.intro':
      '损失函数把“输出错了多少”变成一个数，训练的目标就是让它变小；它的梯度告诉我们每个输出往哪个方向移动能让损失下降得最快。' +
      '回归问题用均方误差，分类问题先做 softmax 再算交叉熵。下面的每个数都由核心的损失函数内核计算，也就是训练时调用的那些。',
    'ch.losses.mseHeading': '均方误差（回归）',
    'ch.losses.mseIntro':
      '这里采用 PyTorch 的 nn.MSELoss() 约定：对所有输出取 (ŷ − y)² 的平均；只有一个输出时就是 (ŷ − y)²，梯度为 ∂L/∂ŷ = 2(ŷ − y)。（有些教材写成 ½(ŷ − y)²，这样梯度就是 ŷ − y。）梯度就是抛物线在 ŷ 处的斜率：梯度下降把 ŷ 朝相反方向、也就是朝 y 移动。',
    'ch.losses.pred': '预测值 ŷ',
    'ch.losses.target': '目标值 y',
    'ch.losses.mseLoss': 'L = (ŷ − y)² = ({p} − {y})² = {l}',
    'ch.losses.mseGrad': '∂L/∂ŷ = 2(ŷ − y) = {g}',
    'ch.losses.msePlot': '损失 L 随 ŷ 变化的曲线：一条在 y = {y} 处取最小值的抛物线；当前 ŷ = {p} 用圆点标出，该点斜率为 {g} 的切线用虚线画出',
    'ch.losses.ceHeading': 'Softmax 与交叉熵（分类）',
    'ch.losses.ceIntro':
      '网络为每个类别给出一个分数（logit）zₖ。softmax 把它们变成概率 pₖ = e^zₖ / Σⱼ e^zⱼ，损失为 L = −log p_true：真实类别的概率为 1 时损失为 0，概率越小损失越大。它的梯度非常简单：∂L/∂zₖ = pₖ − [k = 真实类别]。它把真实类别的 logit 往上推，把其他 logit 往下压，而且各分量之和总是 0。',
    'ch.losses.trueClass': '真实类别',
    'ch.losses.class': '类别 {k}',
    'ch.losses.logit': 'Logit z{k}',
    'ch.losses.colClass': '类别',
    'ch.losses.colLogit': 'Logit zₖ',
    'ch.losses.colProb': '概率 pₖ',
    'ch.losses.colGrad': '∂L/∂zₖ = pₖ − [k = 真实类别]',
    'ch.losses.isTrue': '★ 真实',
    'ch.losses.ceLoss': 'L = −log p{k} = −log({p}) = {l}',
    'ch.losses.ceSum': '梯度各分量之和：{s}',
    'ch.losses.cePredicted': 'logit 最大的是类别 {k}：这就是网络的回答（{verdict}）。',
    'ch.losses.right': '正确',
    'ch.losses.wrong': '错误',
  },
};
