// Strings of the chapter "forward": keys ch.forward.*; every en key needs a zh translation.
export default {
  en: {
    'ch.forward.title': 'Forward propagation through a tiny network',
    'ch.forward.intro':
      'The smallest network with a hidden layer: two inputs x₁ and x₂, two hidden neurons a₁₁ and a₁₂ with the sigmoid activation, ' +
      'and one output neuron a₂₁ with the ReLU. Each edge carries its weight and each node its value. Forward propagation computes ' +
      'the hidden layer from the inputs, then the output from the hidden layer. Move the inputs, or change any weight or bias, and ' +
      'follow the numbers through the network and the equations below it.',
    'ch.forward.inputs': 'Inputs',
    'ch.forward.params': 'Weights and biases',
    'ch.forward.paramLabel': '{name} ({from} → {to})',
    'ch.forward.biasLabel': '{name} (bias of {to})',
    'ch.forward.reset': 'Reset the weights',
    'ch.forward.svgLabel':
      'The 2-2-1 network: x₁ = {x1}, x₂ = {x2}; a₁₁ = {a11}, a₁₂ = {a12}; a₂₁ = {a21}. Weights: w₁₁ = {w11}, w₁₂ = {w12}, w₁₃ = {w13}, w₁₄ = {w14}, w₂₁ = {w21}, w₂₂ = {w22}; biases b₁ = {b1}, b₂ = {b2}, b₃ = {b3}.',
    'ch.forward.legend':
      'Solid blue edge: positive weight; dashed vermillion edge: negative weight; thicker means larger. Round nodes: sigmoid; the square node: ReLU. Click an edge or a bias to edit it.',
    'ch.forward.equations': 'The three equations with the current numbers',
    'ch.forward.note': 'sigmoid(z) = 1 / (1 + e^(−z)); relu(z) = max(0, z). The ReLU passes z on when it is positive and outputs 0 otherwise.',
    'ch.forward.inputNode': 'input',
    'ch.forward.dead': 'z₃ ≤ 0, so the ReLU outputs 0.',
    'ch.forward.bad': 'Enter a number for {name}.',
  },
  zh: {
    'ch.forward.title': '一个小网络的前向传播',
    'ch.forward.intro':
      '带一个隐藏层的最小网络：两个输入 x₁ 和 x₂，两个使用 sigmoid 激活函数的隐藏神经元 a₁₁ 和 a₁₂，以及一个使用 ReLU 的输出神经元 a₂₁。' +
      '每条边上标着它的权重，每个节点上标着它的值。前向传播先由输入算出隐藏层，再由隐藏层算出输出。拖动输入，或修改任意权重或偏置，' +
      '沿着网络和下方的公式跟踪每一个数字。',
    'ch.forward.inputs': '输入',
    'ch.forward.params': '权重和偏置',
    'ch.forward.paramLabel': '{name}（{from} → {to}）',
    'ch.forward.biasLabel': '{name}（{to} 的偏置）',
    'ch.forward.reset': '重置权重',
    'ch.forward.svgLabel':
      '2-2-1 网络：x₁ = {x1}，x₂ = {x2}；a₁₁ = {a11}，a₁₂ = {a12}；a₂₁ = {a21}。权重：w₁₁ = {w11}，w₁₂ = {w12}，w₁₃ = {w13}，w₁₄ = {w14}，w₂₁ = {w21}，w₂₂ = {w22}；偏置 b₁ = {b1}，b₂ = {b2}，b₃ = {b3}。',
    'ch.forward.legend':
      '蓝色实线边：正权重；朱红色虚线边：负权重；线越粗，绝对值越大。圆形节点：sigmoid；方形节点：ReLU。点击一条边或一个偏置即可编辑它。',
    'ch.forward.equations': '代入当前数值的三个公式',
    'ch.forward.note': 'sigmoid(z) = 1 / (1 + e^(−z))；relu(z) = max(0, z)。z 为正时 ReLU 原样输出 z，否则输出 0。',
    'ch.forward.inputNode': '输入',
    'ch.forward.dead': 'z₃ ≤ 0，所以 ReLU 输出 0。',
    'ch.forward.bad': '请为 {name} 输入一个数字。',
  },
};
