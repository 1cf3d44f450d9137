// Strings of the chapter "regression": keys ch.regression.*; every en key needs a zh translation.
export default {
  en: {
    'ch.regression.title': 'Regression losses: L1, L2 and smooth L1',
    'ch.regression.intro':
      'A regression network predicts a number ŷ, and the loss looks only at the error d = ŷ − y. Three losses are common: L2, the mean squared error (PyTorch’s nn.MSELoss, ℓ(d) = d²); L1, the mean absolute error (nn.L1Loss, ℓ(d) = |d|); and smooth L1 (nn.SmoothL1Loss(beta=β)), which is d²/(2β) for |d| < β and |d| − β/2 beyond. ' +
      'What sets them apart is how hard each pulls on an example that is far off. Every number below comes from the core’s regression loss kernels, the ones a network trained with these losses uses.',
    'ch.regression.curvesHeading': 'The losses and their gradients',
    'ch.regression.curvesIntro':
      'Solid lines are the losses ℓ(d), dashed lines their gradients ℓ′(d) = ∂ℓ/∂ŷ, the force with which gradient descent pulls the prediction back. L2’s gradient 2d grows without bound (it leaves the chart); L1’s is −1 or +1 however large the error; smooth L1’s is d/β inside ±β (the dotted marks) and ±1 outside. Move β and watch the bend move.',
    'ch.regression.beta': 'Smooth L1’s β',
    'ch.regression.d': 'Error d = ŷ − y',
    'ch.regression.dAxis': 'error d = ŷ − y',
    'ch.regression.mse': 'L2 (MSE)',
    'ch.regression.l1': 'L1',
    'ch.regression.smooth': 'smooth L1',
    'ch.regression.solidIsLoss': 'solid: loss ℓ(d)',
    'ch.regression.dashedIsSlope': 'dashed: gradient ℓ′(d)',
    'ch.regression.colLoss': 'Loss',
    'ch.regression.colValueAt': 'ℓ({d})',
    'ch.regression.colSlopeAt': 'ℓ′({d})',
    'ch.regression.curvesPlot': 'The three losses and their gradients as functions of the error d from −3 to 3; smooth L1 with β = {beta}. The table below gives their values at the chosen d.',
    'ch.regression.fitHeading': 'One outlier, three fitted lines',
    'ch.regression.fitIntro':
      'A line y = w·x + b is fitted to the points by gradient descent, once with each loss: {steps} steps from w = b = 0, the learning rate falling from {rate} to 0. Each step runs the loss’s backward pass on the predictions and the chain rule does the rest: ∂L/∂w = Σ ∂L/∂ŷᵢ·xᵢ, ∂L/∂b = Σ ∂L/∂ŷᵢ. Drag the orange outlier (or click the plot and move it with the arrow keys, Shift for larger steps).',
    'ch.regression.outlierKey': 'the outlier (drag it)',
    'ch.regression.outlierAt': 'Outlier at x = {x}, y = {y}',
    'ch.regression.colSlope': 'Slope w',
    'ch.regression.colIntercept': 'Intercept b',
    'ch.regression.colValue': 'Loss L',
    'ch.regression.fitPlot':
      'Scatter plot of ten points, the outlier at ({x}, {y}), use the arrow keys to move it. Fitted lines: L2 (MSE) w = {mw}, b = {mb}; L1 w = {lw}, b = {lb}; smooth L1 w = {sw}, b = {sb}.',
    'ch.regression.why':
      'Which loss does the outlier drag? L2. Its gradient 2d grows with the error, so the one point far from the line pulls harder than all the others together and the least-squares line swings towards it. L1’s gradient is ±1 whatever the error: the outlier pulls no harder than any other point, so the L1 line stays with the majority (it passes through two of the points). Smooth L1 is L2 near zero — small errors are smoothed out gently, with a gradient that shrinks to 0 — and L1 far away, so an outlier cannot pull harder than 1; the smaller β, the closer it is to L1. That is why detectors such as Fast R-CNN regress their boxes with smooth L1.',
  },
  zh: {
    'ch.regression.title': '回归损失：L1、L2 与平滑L1损失',
    'ch.regression.intro':
      '回归网络预测一个数 ŷ，损失只看误差 d = ŷ − y。常用的有三种：L2，即均方误差（PyTorch 的 nn.MSELoss，ℓ(d) = d²）；L1，即绝对误差（nn.L1Loss，ℓ(d) = |d|）；以及平滑L1损失（nn.SmoothL1Loss(beta=β)），在 |d| < β 时为 d²/(2β)，其余为 |d| − β/2。' +
      '它们的区别在于对偏得很远的样本拉得有多用力。下面的每个数都来自核心的回归损失内核，也就是用这些损失训练网络时调用的那些。',
    'ch.regression.curvesHeading': '损失及其梯度',
    'ch.regression.curvesIntro':
      '实线是损失 ℓ(d)，虚线是梯度 ℓ′(d) = ∂ℓ/∂ŷ，也就是梯度下降把预测值拉回来的力。L2 的梯度 2d 无限增长（冲出了图框）；L1 的梯度无论误差多大都是 −1 或 +1；平滑L1损失的梯度在 ±β 之内（点线标记）为 d/β，之外为 ±1。拖动 β，看拐点如何移动。',
    'ch.regression.beta': '平滑L1损失的 β',
    'ch.regression.d': '误差 d = ŷ − y',
    'ch.regression.dAxis': '误差 d = ŷ − y',
    'ch.regression.mse': 'L2（均方误差）',
    'ch.regression.l1': 'L1（绝对误差）',
    'ch.regression.smooth': '平滑L1损失',
    'ch.regression.solidIsLoss': '实线：损失 ℓ(d)',
    'ch.regression.dashedIsSlope': '虚线：梯度 ℓ′(d)',
    'ch.regression.colLoss': '损失',
    'ch.regression.colValueAt': 'ℓ({d}) 的值',
    'ch.regression.colSlopeAt': 'ℓ′({d}) 的值',
    'ch.regression.curvesPlot': '三种损失及其梯度随误差 d（从 −3 到 3）变化的曲线；平滑L1损失的 β = {beta}。下表给出它们在所选 d 处的值。',
    'ch.regression.fitHeading': '一个离群点，三条拟合直线',
    'ch.regression.fitIntro':
      '用梯度下降把直线 y = w·x + b 拟合到这些点上，每种损失各拟合一次：从 w = b = 0 出发走 {steps} 步，学习率从 {rate} 线性降到 0。每一步先对预测值做损失的反向传播，剩下的交给链式法则：∂L/∂w = Σ ∂L/∂ŷᵢ·xᵢ，∂L/∂b = Σ ∂L/∂ŷᵢ。拖动橙色的离群点（或点击图后用方向键移动它，按住 Shift 步子更大）。',
    'ch.regression.outlierKey': '离群点（可拖动）',
    'ch.regression.outlierAt': '离群点位于 x = {x}，y = {y}',
    'ch.regression.colSlope': '斜率 w',
    'ch.regression.colIntercept': '截距 b',
    'ch.regression.colValue': '损失 L',
    'ch.regression.fitPlot':
      '十个点的散点图，离群点位于 ({x}, {y})，可用方向键移动它。拟合直线：L2（均方误差）w = {mw}，b = {mb}；L1 w = {lw}，b = {lb}；平滑L1损失 w = {sw}，b = {sb}。',
    'ch.regression.why':
      '离群点拖动的是哪条线？是 L2。它的梯度 2d 随误差增大，于是那个远离直线的点比其余所有点加起来拉得还用力，最小二乘直线便朝它偏过去。L1 的梯度无论误差多大都是 ±1：离群点并不比其他点拉得更用力，所以 L1 直线留在大多数点那边（它恰好穿过其中两个点）。平滑L1损失在零附近是 L2——小误差被温和地抹平，梯度缩小到 0——远处是 L1，所以离群点的拉力不会超过 1；β 越小，它越接近 L1。这就是 Fast R-CNN 等检测器用平滑L1损失回归边界框的原因。',
  },
};
