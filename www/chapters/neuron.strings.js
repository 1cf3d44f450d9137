// Strings of the chapter "neuron": keys ch.neuron.*; every en key needs a zh translation.
export default {
  en: {
    'ch.neuron.title': 'The neuron',
    'ch.neuron.intro':
      'A neuron multiplies each input xᵢ by its weight wᵢ, adds the products and a bias b, and passes the sum z through an activation function h: a = h(x₁w₁ + x₂w₂ + x₃w₃ + b). ' +
      'A weight says how much, and in which direction, its input pushes the neuron; the bias moves the point where it switches on, whatever the inputs. ' +
      'The activation bends the straight sum: without it, stacking neurons would only ever give another weighted sum. Move the sliders, or focus one and use the arrow keys.',
    'ch.neuron.activation': 'Activation h',
    'ch.neuron.inputs': 'Inputs',
    'ch.neuron.weights': 'Weights',
    'ch.neuron.x': 'Input x{i}',
    'ch.neuron.w': 'Weight w{i}',
    'ch.neuron.b': 'Bias b',
    'ch.neuron.sum': 'Weighted sum z = {z}',
    'ch.neuron.output': 'Output a = {a}',
    'ch.neuron.drawing': 'Drawing of the neuron: three inputs, each multiplied by its weight on an edge, summed with the bias, passed through {h}, giving a = {a}',
    'ch.neuron.legend': 'Edges: solid blue for a positive weight, dashed vermillion for a negative one; thicker means a larger weight.',
    'ch.neuron.act.sigmoid': 'sigmoid',
    'ch.neuron.act.tanh': 'tanh',
    'ch.neuron.act.relu': 'ReLU',
    'ch.neuron.act.leaky-relu': 'leaky ReLU',
  },
  zh: {
    'ch.neuron.title': '神经元',
    'ch.neuron.intro':
      '神经元把每个输入 xᵢ 乘以它的权重 wᵢ，把这些乘积与偏置 b 相加，再让和 z 经过激活函数 h：a = h(x₁w₁ + x₂w₂ + x₃w₃ + b)。' +
      '权重表示它的输入推动神经元的力度和方向；偏置则移动神经元开始“激活”的位置，与输入无关。' +
      '激活函数让直线般的加权和弯曲：没有它，神经元叠多少层也只是另一个加权和。拖动滑块，或者选中一个滑块后用方向键调节。',
    'ch.neuron.activation': '激活函数 h',
    'ch.neuron.inputs': '输入',
    'ch.neuron.weights': '权重',
    'ch.neuron.x': '输入 x{i}',
    'ch.neuron.w': '权重 w{i}',
    'ch.neuron.b': '偏置 b',
    'ch.neuron.sum': '加权和 z = {z}',
    'ch.neuron.output': '输出 a = {a}',
    'ch.neuron.drawing': '神经元示意图：三个输入各自乘以边上的权重，与偏置相加，经过 {h}，得到 a = {a}',
    'ch.neuron.legend': '边：蓝色实线表示正权重，朱红色虚线表示负权重；线越粗，权重的绝对值越大。',
    'ch.neuron.act.sigmoid': 'sigmoid',
    'ch.neuron.act.tanh': 'tanh',
    'ch.neuron.act.relu': 'ReLU',
    'ch.neuron.act.leaky-relu': 'Leaky ReLU',
  },
};
